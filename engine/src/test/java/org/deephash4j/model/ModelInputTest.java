package org.deephash4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputProfile;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.data.SyntheticDataset;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.FormatException;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's input in the checkpoint: written as input / input.resize / input.*, read back and checked by ModelInfo alone. */
class ModelInputTest {
    private static final Backend CPU = Backends.cpu();

    @TempDir
    Path dir;

    private static HashingModel alexnet(InputShape input, int resize) {
        return new HashingModel(CPU, Backbone.ALEXNET, HashingMethods.forEncoding("DHN", 12, 3),
                new Preprocessing(input, resize, Preprocessing.IMAGENET), List.of("a", "b", "c"), 0);
    }

    @Test
    void aChosenInputGoesThroughTheCheckpoint() throws IOException {
        Path p = dir.resolve("resnet.safetensors");
        InputProfile profile = new InputProfile(InputProfile.Polarity.LIGHT_GROUND, 0.05f, false, new float[] {0.8f, 0.7f, 0.6f},
                new float[] {0.2f, 0.2f, 0.3f}, 0.55f, 0.95f);
        try (HashingModel m = new HashingModel(CPU, Backbone.RESNET18, HashingMethods.forEncoding("HashNet", 16, 3),
                new Preprocessing(new InputShape(3, 64, 48), 73, Preprocessing.IMAGENET), List.of("a", "b", "c"), 0)) {
            m.recordInputProfile(profile);
            m.save(p, Map.of());
        }
        Checkpoint c = Checkpoint.read(p);
        assertEquals("3x64x48", c.require("input"));
        assertEquals("73", c.require("input.resize"));
        assertEquals("light-ground", c.require("input.polarity"));
        assertTrue(c.tensor("backbone.layer1.0.conv1.weight") != null, "torchvision's names under backbone.");
        ModelInfo info = ModelInfo.of(c, p);
        assertEquals(new InputShape(3, 64, 48), info.input());
        assertEquals(73, info.resize());
        assertEquals(new InputShape(3, 73, 73), info.preprocessing().decodeShape());
        assertEquals(profile, info.profile());
        try (HashingModel back = HashingModel.load(c, p, CPU, null)) {
            assertEquals(new InputShape(3, 64, 48), back.input());
            assertEquals(profile, back.inputProfile());
            assertArrayEquals(Preprocessing.IMAGENET.mean(), back.normalization().mean());
        }
    }

    private Checkpoint withMetadata(Map<String, String> changes) throws IOException {
        Path p = dir.resolve("lenet.safetensors");
        try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.forEncoding("HashNet", 16, 3),
                Normalization.FASHION_MNIST, List.of("a", "b", "c"), 0)) {
            Map<String, String> meta = new LinkedHashMap<>(m.metadata());
            meta.putAll(changes);
            List<Checkpoint.Entry> entries = new java.util.ArrayList<>();
            m.namedState().forEach((k, v) -> entries.add(Checkpoint.Entry.of(k, v)));
            return new Checkpoint(meta, entries);
        }
    }

    @Test
    void inputsAModelCannotTakeAreFormatErrorsNamingTheField() throws IOException {
        FormatException e = assertThrows(FormatException.class,
                () -> ModelInfo.of(withMetadata(Map.of("input", "1x32x32")), Path.of("m.safetensors")));
        assertEquals("m.safetensors: field '__metadata__.input' at byte 8: model lenet takes 1x28x28 images only, not 1x32x32;"
                + " resnet18 and alexnet take other sizes", e.getMessage());
        e = assertThrows(FormatException.class, () -> ModelInfo.of(withMetadata(Map.of("model", "alexnet", "input", "3x40x40",
                "normalization.mean", "0.5,0.5,0.5", "normalization.std", "0.2,0.2,0.2")), Path.of("m.safetensors")));
        assertTrue(e.getMessage().contains("'__metadata__.input'") && e.getMessage().contains("at least 63x63"), e.getMessage());
        e = assertThrows(FormatException.class, () -> ModelInfo.of(withMetadata(Map.of("input", "3xbig")), Path.of("m.safetensors")));
        assertTrue(e.getMessage().contains("expected CxHxW"), e.getMessage());
        e = assertThrows(FormatException.class, () -> ModelInfo.of(withMetadata(Map.of("input.polarity", "sideways")),
                Path.of("m.safetensors")));
        assertTrue(e.getMessage().contains("'__metadata__.input.polarity'"), e.getMessage());
    }

    @Test
    void aCheckpointWithoutProfileOrResizeReadsAsBefore() throws IOException {
        ModelInfo info = ModelInfo.of(withMetadata(Map.of()), Path.of("m.safetensors"));
        assertEquals(new InputShape(1, 28, 28), info.input());
        assertEquals(0, info.resize());
        assertNull(info.profile());
    }

    @Test
    void torchvisionBackbonesTakeGreyOrRgbOfAnySizeAndTheFixedOnesTheirOwn() {
        try (HashingModel m = alexnet(new InputShape(3, 63, 63), 0)) {
            Dataset grey = SyntheticDataset.generate(2, 2, 1, 28, 28, 1);
            m.checkInput(grey);                                           // replicated and scaled by the pipeline
            float[] z = m.hashOutputs(grey, new int[] {0, 1, 2}, 2);
            assertEquals(3 * 12, z.length);
            Dataset four = new Dataset("four", 4, 8, 8, new byte[4 * 64], new byte[] {1}, List.of("x"));
            InputMismatchException e = assertThrows(InputMismatchException.class, () -> m.checkInput(four));
            assertTrue(e.getMessage().contains("takes grey or RGB images"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> alexnet(new InputShape(3, 62, 80), 0));
        assertTrue(e.getMessage().contains("at least 63x63"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backbone.ALEXNET.checkInput(new InputShape(1, 64, 64)));
        assertTrue(e.getMessage().contains("RGB input"), e.getMessage());
    }
}
