package org.deephash4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.data.Split;
import org.deephash4j.data.SyntheticDataset;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning as the papers do it: the backbone frozen (not updated, batch normalisation in
 * evaluation mode) for the first epochs, then at a fraction of the head's rate; augmentation from
 * the seed; and a resumed run still ends bit for bit where an uninterrupted one does.
 */
class FineTuningTest {
    private static final Backend CPU = Backends.cpu();
    private static final Dataset DATA = SyntheticDataset.generate(24, 10, 1, 28, 28, 3);
    private static final Split SPLIT = Split.perClass(DATA, Split.range(0, 240), Split.range(0, 240), 4, 12, 0, false);
    private static final Normalization NORM = Normalization.measure(DATA, SPLIT.train());

    @TempDir
    Path dir;

    private static HashingModel lenet(String method) {
        return new HashingModel(CPU, Backbone.LENET, HashingMethods.create(method, 12, DATA.labelsOf(SPLIT.train())), NORM,
                DATA.classNames(), 7);
    }

    private static TrainConfig config(String method, int epochs, float scale, int frozen) {
        return new TrainConfig("lenet", method, 12, epochs, 40, 1e-3f, 0f, 7, 0, "cpu").withFineTuning(scale, frozen);
    }

    private static Progress quiet() {
        return new Progress(new PrintStream(new ByteArrayOutputStream()));
    }

    private static Map<String, float[]> values(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    @Test
    void aFrozenBackboneStaysWhileTheHeadLearns() throws IOException {
        try (HashingModel m = lenet("HashNet")) {
            Map<String, float[]> before = values(m.namedState());
            new Trainer(m, config("HashNet", 1, 0.1f, 1), quiet()).run(DATA, SPLIT.train(), null);
            Map<String, float[]> after = values(m.namedState());
            for (String name : before.keySet()) {
                boolean same = Arrays.equals(before.get(name), after.get(name));
                if (name.startsWith("backbone.")) {
                    assertArrayEquals(before.get(name), after.get(name), name + " must not move while frozen");
                } else {
                    assertFalse(same, name + " must learn while the backbone is frozen");
                }
            }
            assertEquals(true, m.network().isTraining(), "the network is back in training mode after the run");
        }
    }

    @Test
    void resumedAcrossTheThawEndsWhereAnUninterruptedRunDoes() throws IOException {
        // 3 epochs (frozen for 1, backbone at 0.1 x the rate) against 1 epoch, a checkpoint, and 2 more resumed:
        // the per-parameter Adam step counts (the backbone's starts at the thaw) must be saved, else the outputs part.
        for (String method : new String[] {"HashNet", "DSDH"}) {
            float[] straight;
            try (HashingModel m = lenet(method)) {
                new Trainer(m, config(method, 3, 0.1f, 1), quiet()).run(DATA, SPLIT.train(), null);
                straight = m.hashOutputs(DATA, SPLIT.query(), 64);
            }
            Path ckpt = dir.resolve(method + ".safetensors");
            try (HashingModel m = lenet(method)) {
                new Trainer(m, config(method, 1, 0.1f, 1), quiet()).run(DATA, SPLIT.train(), ckpt);
            }
            Checkpoint saved = Checkpoint.read(ckpt);
            assertEquals("0", saved.require("state.adam.step.backbone.0.weight"), "the backbone has not stepped yet");
            assertEquals("1", saved.require("train.freeze_epochs"));
            assertEquals("0.1", saved.require("train.backbone_lr_scale"));
            TrainConfig restored = TrainConfig.fromMetadata(saved.metadata());
            assertEquals(0.1f, restored.backboneLrScale());
            assertEquals(1, restored.freezeEpochs());
            float[] resumed;
            try (HashingModel m = HashingModel.load(saved, ckpt, CPU, DATA.labelsOf(SPLIT.train()))) {
                new Trainer(m, restored.withEpochs(3), quiet()).resume(DATA, SPLIT.train(), saved, "saved", ckpt);
                resumed = m.hashOutputs(DATA, SPLIT.query(), 64);
            }
            assertArrayEquals(straight, resumed, method + ": outputs after 3 epochs, straight and resumed after the frozen one");
        }
    }

    @Test
    void theBackboneStepsAtItsShareOfTheRate() throws IOException {
        // One step (one batch of all 120 training images): Adam moves each coordinate by its rate (m̂ / √v̂ = ±1),
        // so at 0.1 x the rate the backbone moves a tenth as far, and the head as far as at full rate.
        Map<String, float[]> start, full, tenth;
        try (HashingModel m = lenet("HashNet")) {
            start = values(m.namedState());
        }
        try (HashingModel m = lenet("HashNet")) {
            new Trainer(m, oneStep(1f), quiet()).run(DATA, SPLIT.train(), null);
            full = values(m.namedState());
        }
        try (HashingModel m = lenet("HashNet")) {
            new Trainer(m, oneStep(0.1f), quiet()).run(DATA, SPLIT.train(), null);
            tenth = values(m.namedState());
        }
        assertEquals(0.1, movement(start, tenth, "backbone.0.weight") / movement(start, full, "backbone.0.weight"), 1e-3);
        assertEquals(1.0, movement(start, tenth, "head.hash.weight") / movement(start, full, "head.hash.weight"), 1e-6);
    }

    private static TrainConfig oneStep(float scale) {
        return new TrainConfig("lenet", "HashNet", 12, 1, 120, 1e-3f, 0f, 7, 0, "cpu").withFineTuning(scale, 0);
    }

    private static double movement(Map<String, float[]> from, Map<String, float[]> to, String name) {
        double sum = 0;
        for (int i = 0; i < from.get(name).length; i++) sum += Math.abs(to.get(name)[i] - from.get(name)[i]);
        return sum;
    }

    @Test
    void batchNormalisationIsInEvaluationModeWhileFrozen() throws IOException {
        Dataset rgb = SyntheticDataset.generate(4, 4, 3, 24, 24, 5);
        int[] train = Split.range(0, rgb.size());
        Preprocessing p = Preprocessing.of(new InputShape(3, 40, 40), Preprocessing.IMAGENET);
        try (HashingModel m = new HashingModel(CPU, Backbone.RESNET18, HashingMethods.create("HashNet", 8, rgb.labelsOf(train)), p,
                rgb.classNames(), 3)) {
            TrainConfig c = new TrainConfig("resnet18", "HashNet", 8, 1, 8, 1e-3f, 0f, 3, 0, "cpu").withFineTuning(0.1f, 1);
            new Trainer(m, c, quiet()).run(rgb, train, null);
            Map<String, Tensor> state = m.namedState();
            assertArrayEquals(new float[64], state.get("backbone.bn1.running_mean").toArray(), "running mean untouched while frozen");
            assertArrayEquals(new float[] {0f}, state.get("backbone.bn1.num_batches_tracked").toArray());
            new Trainer(m, c.withFineTuning(0.1f, 0), quiet()).run(rgb, train, null);
            assertFalse(Arrays.equals(new float[64], m.namedState().get("backbone.bn1.running_mean").toArray()),
                    "thawed: the running statistics move");
            assertArrayEquals(new float[] {2f}, m.namedState().get("backbone.bn1.num_batches_tracked").toArray(), "two batches of 8");
        }
    }

    @Test
    void augmentationIsAFunctionOfTheSeed() throws IOException {
        float[][] runs = new float[3][];
        for (int r = 0; r < 3; r++) {
            try (HashingModel m = lenet("HashNet")) {
                TrainConfig c = config("HashNet", 1, 1f, 0).withAugment(r < 2);
                new Trainer(m, c, quiet()).run(DATA, SPLIT.train(), null);
                runs[r] = m.hashOutputs(DATA, SPLIT.query(), 64);
            }
        }
        assertArrayEquals(runs[0], runs[1], "same seed, same crops and flips, same weights");
        assertFalse(Arrays.equals(runs[0], runs[2]), "flips change the run (lenet's input has no crop margin, so only flips)");
    }
}
