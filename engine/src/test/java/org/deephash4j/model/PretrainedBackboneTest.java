package org.deephash4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.testing.TorchStyleSafetensors;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pretrained weights from a torchvision state_dict (safetensors.torch.save_file's layout: F32
 * weights and statistics, I64 num_batches_tracked, the classifier fc.*) load into resnet18 by
 * name, and every kind of mismatch is one error naming the tensor.
 */
class PretrainedBackboneTest {
    private static final Backend CPU = Backends.cpu();
    private static final Preprocessing INPUT = Preprocessing.of(new InputShape(3, 40, 40), Preprocessing.IMAGENET);

    @TempDir
    static Path dir;
    private static Map<String, float[]> source;
    private static Map<String, int[]> shapes;

    private static HashingModel resnet(long seed) {
        return new HashingModel(CPU, Backbone.RESNET18, HashingMethods.forEncoding("HashNet", 16, 10), INPUT,
                Dataset.numberedClasses(10), seed);
    }

    // The state of a resnet18 drawn from another seed, as torchvision names it, plus torchvision's fc.
    @BeforeAll
    static void drawSource() {
        source = new java.util.LinkedHashMap<>();
        shapes = new java.util.LinkedHashMap<>();
        try (HashingModel other = resnet(99)) {
            for (Map.Entry<String, Tensor> e : other.network().stateByName().entrySet()) {
                float[] v = e.getValue().toArray();
                // running statistics away from their initial 0 and 1, so that loading them shows
                if (e.getKey().endsWith("running_mean")) for (int i = 0; i < v.length; i++) v[i] = 0.01f * i;
                if (e.getKey().endsWith("running_var")) for (int i = 0; i < v.length; i++) v[i] = 1 + 0.02f * i;
                source.put(e.getKey(), v);
                shapes.put(e.getKey(), e.getValue().shape().dims());
            }
        }
    }

    private static TorchStyleSafetensors torchvisionFile(String drop, String reshape, String extra) {
        TorchStyleSafetensors f = new TorchStyleSafetensors();
        for (Map.Entry<String, float[]> e : source.entrySet()) {
            String name = e.getKey();
            if (name.equals(drop)) continue;
            if (name.endsWith("num_batches_tracked")) {
                f.i64(name, new int[] {}, new long[] {500});
            } else if (name.equals(reshape)) {
                int[] s = shapes.get(name);
                f.f32(name, new int[] {s[0], e.getValue().length / s[0]}, e.getValue());
            } else {
                f.f32(name, shapes.get(name), e.getValue());
            }
        }
        if (extra != null) f.f32(extra, new int[] {2}, new float[] {1, 2});
        f.f32("fc.weight", new int[] {10, 512}, new float[5120]);
        f.f32("fc.bias", new int[] {10}, new float[10]);
        return f;
    }

    @Test
    void aTorchvisionStateDictLoadsByNameAndSkipsTheClassifier() throws IOException {
        Path p = dir.resolve("resnet18.safetensors");
        torchvisionFile(null, null, null).write(p);
        try (HashingModel m = resnet(1)) {
            PretrainedBackbone.Report report = m.loadPretrainedBackbone(p);
            assertEquals(List.of("fc.weight", "fc.bias"), report.skipped());
            assertEquals(20, report.ignored().size(), "20 batch normalisations, each with an I64 counter");
            assertEquals(source.size() - 20, report.loaded().size());
            assertTrue(report.summary().contains("fc.weight, fc.bias"), report.summary());
            Map<String, Tensor> state = m.namedState();
            for (Map.Entry<String, float[]> e : source.entrySet()) {
                if (e.getKey().endsWith("num_batches_tracked")) continue;
                assertArrayEquals(e.getValue(), state.get("backbone." + e.getKey()).toArray(), e.getKey());
            }
            assertArrayEquals(source.get("layer4.1.bn2.running_var"), state.get("backbone.layer4.1.bn2.running_var").toArray());
        }
    }

    @Test
    void halfPrecisionWeightsAreWidened() throws IOException {
        Path p = dir.resolve("half.safetensors");
        TorchStyleSafetensors f = new TorchStyleSafetensors();
        for (Map.Entry<String, float[]> e : source.entrySet()) {
            if (e.getKey().endsWith("num_batches_tracked")) continue;
            f.f16(e.getKey(), shapes.get(e.getKey()), e.getValue());
        }
        f.write(p);
        try (HashingModel m = resnet(1)) {
            m.loadPretrainedBackbone(p);
            float[] want = source.get("conv1.weight");
            float[] got = m.namedState().get("backbone.conv1.weight").toArray();
            for (int i = 0; i < want.length; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16(want[i])), got[i], "conv1.weight " + i);
        }
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        Path p = dir.resolve("missing.safetensors");
        torchvisionFile("layer3.1.bn1.running_mean", null, null).write(p);
        try (HashingModel m = resnet(1)) {
            PretrainedWeightsException e = assertThrows(PretrainedWeightsException.class, () -> m.loadPretrainedBackbone(p));
            assertEquals("missing.safetensors: tensor 'layer3.1.bn1.running_mean' is missing; a torchvision resnet18 state_dict has it",
                    e.getMessage());
        }
    }

    @Test
    void aMisshapedTensorIsNamedWithBothShapes() throws IOException {
        Path p = dir.resolve("misshaped.safetensors");
        torchvisionFile(null, "layer1.0.conv1.weight", null).write(p);
        try (HashingModel m = resnet(1)) {
            float[] before = m.namedState().get("backbone.conv1.weight").toArray();
            PretrainedWeightsException e = assertThrows(PretrainedWeightsException.class, () -> m.loadPretrainedBackbone(p));
            assertEquals("misshaped.safetensors: tensor 'layer1.0.conv1.weight' has shape [64, 576] but resnet18 expects"
                    + " [64, 64, 3, 3]", e.getMessage());
            assertArrayEquals(before, m.namedState().get("backbone.conv1.weight").toArray(), "nothing is copied when a tensor is wrong");
        }
    }

    @Test
    void anUnexpectedTensorIsNamed() throws IOException {
        Path p = dir.resolve("unexpected.safetensors");
        torchvisionFile(null, null, "layer5.0.conv1.weight").write(p);
        try (HashingModel m = resnet(1)) {
            PretrainedWeightsException e = assertThrows(PretrainedWeightsException.class, () -> m.loadPretrainedBackbone(p));
            assertEquals("unexpected.safetensors: tensor 'layer5.0.conv1.weight' is unexpected; resnet18 has no such tensor",
                    e.getMessage());
        }
    }

    @Test
    void aDeephashCheckpointIsNotAStateDict() throws IOException {
        Path p = dir.resolve("ours.safetensors");
        try (HashingModel m = resnet(1)) {
            m.save(p, Map.of());
            PretrainedWeightsException e = assertThrows(PretrainedWeightsException.class, () -> m.loadPretrainedBackbone(p));
            assertTrue(e.getMessage().contains("a deephash4j checkpoint, not a torchvision state_dict"), e.getMessage());
        }
    }

    @Test
    void lenetTakesNoPretrainedWeights() {
        try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.forEncoding("HashNet", 16, 10),
                org.deephash4j.data.Normalization.FASHION_MNIST, Dataset.numberedClasses(10), 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.loadPretrainedBackbone(dir.resolve("any.safetensors")));
            assertTrue(e.getMessage().contains("resnet18 or alexnet"), e.getMessage());
        }
    }
}
