package org.deephash4j.zoo;

import static org.deephash4j.autograd.Oracles.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deephash4j.autograd.GradientCheck;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Oracles;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Flatten;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.MaxPool2d;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.Parameter;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The zoo's layout, initialisation and input sizes: torchvision's names (spot checks here; the
 * full lists are compared with torchvision's in TorchvisionParityTest), torchvision's
 * initialisation statistics, the input sizes each network accepts and the clear error for the
 * others, a gradient check of a whole basic block with its downsample branch, and the same bits
 * from the same seed.
 */
class ZooTest {
    private static final Backend CPU = Backends.cpu();

    @Test
    void resnet18HasTorchvisionsNamesWithoutFc() {
        try (ResNet18 net = new ResNet18(CPU, 1)) {
            Map<String, Tensor> state = net.stateByName();
            assertEquals(120, state.size(), "torchvision's resnet18 has 122 state_dict entries, 2 of them fc");
            assertEquals("[64, 3, 7, 7]", state.get("conv1.weight").shape().toString());
            assertEquals("[64]", state.get("bn1.running_mean").shape().toString());
            assertEquals("[128, 64, 1, 1]", state.get("layer2.0.downsample.0.weight").shape().toString());
            assertEquals("[512]", state.get("layer4.1.bn2.running_var").shape().toString());
            assertEquals("[]", state.get("layer3.0.downsample.1.num_batches_tracked").shape().toString());
            assertFalse(state.containsKey("fc.weight") || state.containsKey("layer1.0.downsample.0.weight"));
            assertEquals(60, net.parameters().size());
            assertEquals(60, net.buffersByName().size());
            long count = net.parameters().stream().mapToLong(p -> p.tensor().size()).sum();
            assertEquals(11_689_512L - 513_000L, count, "resnet18's 11,689,512 parameters minus fc's 512 x 1000 + 1000");
        }
    }

    @Test
    void alexnetHasTorchvisionsNamesWithoutClassifier6() {
        try (AlexNet net = new AlexNet(CPU, 1)) {
            List<String> names = new ArrayList<>(net.stateByName().keySet());
            assertEquals(List.of("features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
                    "features.6.weight", "features.6.bias", "features.8.weight", "features.8.bias", "features.10.weight",
                    "features.10.bias", "classifier.1.weight", "classifier.1.bias", "classifier.4.weight",
                    "classifier.4.bias"), names);
            assertEquals("[4096, 9216]", net.stateByName().get("classifier.1.weight").shape().toString());
            long count = net.parameters().stream().mapToLong(p -> p.tensor().size()).sum();
            assertEquals(61_100_840L - 4_097_000L, count, "alexnet's 61,100,840 parameters minus classifier.6");
        }
    }

    @Test
    void resnet18IsInitialisedAsTorchvision() {
        try (ResNet18 net = new ResNet18(CPU, 2)) {
            for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
                float[] v = e.getValue().toArray();
                if (e.getValue().rank() == 4) {
                    // kaiming normal, fan-out, ReLU: std = sqrt(2 / (outC * kH * kW)), mean 0
                    int[] d = e.getValue().shape().dims();
                    double std = Math.sqrt(2.0 / (d[0] * d[2] * d[3]));
                    double[] moments = moments(v);
                    double tolerance = 5 / Math.sqrt(v.length);   // five standard errors
                    assertEquals(0, moments[0] / std, tolerance, e.getKey() + " mean / std");
                    assertEquals(1, moments[1] / std, 2 * tolerance, e.getKey() + " std / expected std");
                } else {
                    float expected = e.getKey().endsWith("weight") ? 1f : 0f;
                    for (float x : v) assertEquals(expected, x, e.getKey());
                }
            }
            for (Map.Entry<String, Tensor> e : net.buffersByName().entrySet()) {
                float expected = e.getKey().endsWith("running_var") ? 1f : 0f;
                for (float x : e.getValue().toArray()) assertEquals(expected, x, e.getKey());
            }
        }
    }

    @Test
    void alexnetIsInitialisedAsPyTorchsDefaults() {
        try (AlexNet net = new AlexNet(CPU, 3)) {
            for (Map.Entry<String, Parameter> e : net.parametersByName().entrySet()) {
                Tensor t = e.getValue().tensor();
                String layer = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
                Tensor weight = net.namedParameters().get(layer + ".weight");
                double bound = 1 / Math.sqrt(weight.size() / weight.dim(0));
                double[] moments = moments(t.toArray());
                float max = 0;
                for (float x : t.toArray()) max = Math.max(max, Math.abs(x));
                assertTrue(max <= (float) bound, e.getKey() + ": |value| " + max + " above the bound " + (float) bound);
                // uniform on +-bound: std = bound / sqrt(3)
                assertEquals(1, moments[1] / (bound / Math.sqrt(3)), 10 / Math.sqrt(t.size()) + 0.01, e.getKey());
            }
        }
    }

    private static double[] moments(float[] v) {
        double mean = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (float x : v) var += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(var / v.length)};
    }

    @Test
    void resnet18AcceptsAnyImageSize() {
        try (ResNet18 net = new ResNet18(CPU, 4); TensorScope scope = TensorScope.open()) {
            int[][] sizes = {{2, 1, 1}, {2, 17, 23}, {1, 33, 40}, {2, 32, 32}};
            for (int[] s : sizes) {
                Tensor y = net.forward(Tensors.rand(CPU, 5, -1, 1, s[0], 3, s[1], s[2]));
                assertEquals("[" + s[0] + ", 512]", y.shape().toString(), "training mode, " + s[1] + "x" + s[2]);
            }
            net.eval();
            try (NoGrad off = NoGrad.enter()) {
                Tensor y = net.forward(Tensors.rand(CPU, 6, -1, 1, 1, 3, 1, 1));
                assertEquals("[1, 512]", y.shape().toString(), "evaluation, one 1x1 image");
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(Tensors.zeros(CPU, 2, 1, 32, 32)));
            assertTrue(e.getMessage().contains("[2, 1, 32, 32]") && e.getMessage().contains("[N, 3, H, W]"), e.getMessage());
            net.train();
            e = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensors.zeros(CPU, 1, 3, 32, 32)));
            assertTrue(e.getMessage().contains("more than 1"), "a batch of one 32x32 image has 1x1 maps: " + e.getMessage());
        }
    }

    @Test
    void alexnetAcceptsImagesFrom63Pixels() {
        try (AlexNet net = new AlexNet(CPU, 5); TensorScope scope = TensorScope.open()) {
            net.eval();
            try (NoGrad off = NoGrad.enter()) {
                for (int[] s : new int[][] {{63, 63}, {64, 100}, {127, 127}}) {
                    Tensor y = net.forward(Tensors.rand(CPU, 7, -1, 1, 1, 3, s[0], s[1]));
                    assertEquals("[1, 4096]", y.shape().toString(), s[0] + "x" + s[1]);
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(Tensors.zeros(CPU, 1, 3, 62, 224)));
            assertTrue(e.getMessage().contains("62x224") && e.getMessage().contains("63x63"), e.getMessage());
        }
    }

    @Test
    void basicBlockWithDownsampleGradients() {
        // every parameter of a stride-2 block with its 1x1 shortcut, in training mode (batch statistics)
        int n = 2, in = 2, out = 3, h = 5, w = 6;
        try (BasicBlock block = new BasicBlock(CPU, in, out, 2, 9)) {
            assertTrue(block.hasDownsample());
            Map<String, Parameter> p = block.parametersByName();
            assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
                    "downsample.0.weight", "downsample.1.weight", "downsample.1.bias"), new ArrayList<>(p.keySet()));
            long seed = 10;
            for (Parameter parameter : p.values()) {
                if (parameter.tensor().rank() == 1) {    // batch-norm weights and biases away from 1 and 0
                    float[] v = uniform(seed++, (int) parameter.tensor().size(), 0.5f, 1.5f);
                    CPU.copyIn(parameter.tensor().storage(), 0, v, 0, v.length);
                }
            }
            GradientCheck check = GradientCheck.named("BasicBlock(2 -> 3, stride 2, downsample), training")
                    .input(uniform(20, n * in * h * w, -1, 1), n, in, h, w);
            for (Parameter parameter : p.values()) check.input(parameter.tensor());
            check.engine(t -> block.forward(t[0]))
                    .oracle(v -> {
                        int oh = 3, ow = 3;
                        double[] a = Oracles.conv2d(v[0], v[1], null, n, in, h, w, out, 3, 3, 2, 1);
                        a = Oracles.map(Oracles.batchNorm(a, v[2], v[3], null, null, 1e-5, n, out, oh * ow), z -> Math.max(z, 0));
                        a = Oracles.conv2d(a, v[4], null, n, out, oh, ow, out, 3, 3, 1, 1);
                        a = Oracles.batchNorm(a, v[5], v[6], null, null, 1e-5, n, out, oh * ow);
                        double[] s = Oracles.conv2d(v[0], v[7], null, n, in, h, w, out, 1, 1, 2, 0);
                        s = Oracles.batchNorm(s, v[8], v[9], null, null, 1e-5, n, out, oh * ow);
                        return Oracles.map(Oracles.add(a, s), z -> Math.max(z, 0));
                    })
                    .run(CPU);
        }
    }

    @Test
    void theSameSeedGivesTheSameTrainingStep() {
        int[] dims = {2, 3, 24, 20};
        float[][] first = trainingStep(dims);
        float[][] second = trainingStep(dims);
        for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], second[i], "tensor " + i + " of the state");
    }

    /** One SGD step of a seeded ResNet18 on a seeded batch; returns the state afterwards. */
    private static float[][] trainingStep(int[] dims) {
        try (ResNet18 net = new ResNet18(CPU, 11); Sgd sgd = new Sgd(net.parameters(), 0.05f, 0.9f, 1e-4f);
             TensorScope scope = TensorScope.open()) {
            Tensor y = net.forward(Tensors.rand(CPU, 12, -1, 1, dims));
            Graph.backward(y, Tensors.rand(CPU, 13, -1, 1, y.shape().dims()));
            sgd.step();
            return net.stateByName().values().stream().map(Tensor::toArray).toArray(float[][]::new);
        }
    }

    @Test
    void modulesListEveryLayerOnce() {
        try (ResNet18 net = new ResNet18(CPU, 6)) {
            assertEquals(List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"),
                    new ArrayList<>(net.children().keySet()));
            Module layer2 = net.children().get("layer2");
            assertEquals(List.of("0", "1"), new ArrayList<>(layer2.children().keySet()));
            assertTrue(((BasicBlock) layer2.children().get("0")).hasDownsample());
            assertFalse(((BasicBlock) layer2.children().get("1")).hasDownsample());
            assertFalse(((BasicBlock) net.children().get("layer1").children().get("0")).hasDownsample());
        }
    }

    @Test
    void lenetPoolingBeforeReluIsReluThenPooling() {
        // The zoo's lenet pools before its ReLUs; the papers' and torch's order is ReLU then pooling.
        // The two must give the same bits, forward and backward (gradients routed to the same pixels).
        long seed = 21;
        try (Module zoo = Backbone.LENET.build(CPU, seed);
             Sequential papers = new Sequential(
                     new Conv2d(CPU, 1, 32, 5, 1, 2, Backbone.layerSeed(seed, 0)), new ReLU(), new MaxPool2d(2),
                     new Conv2d(CPU, 32, 64, 5, 1, 2, Backbone.layerSeed(seed, 1)), new ReLU(), new MaxPool2d(2),
                     new Flatten(), new Linear(CPU, 64 * 7 * 7, 500, Backbone.layerSeed(seed, 2)), new ReLU());
             TensorScope scope = TensorScope.open()) {
            Tensor images = Tensors.rand(CPU, 22, -1, 1, 6, 1, 28, 28);
            Tensor zooOut = zoo.forward(images);
            Tensor papersOut = papers.forward(images);
            assertArrayEquals(papersOut.toArray(), zooOut.toArray(), "lenet's output");
            assertTrue(countNonPositive(papersOut.toArray()) > 0, "no output cut by a ReLU: the test proves little");
            Tensor upstream = Tensors.rand(CPU, 23, -1, 1, zooOut.shape().dims());
            Graph.backward(zooOut, upstream);
            Graph.backward(papersOut, upstream);
            List<Parameter> a = papers.parameters();
            List<Parameter> b = zoo.parameters();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).grad().toArray(), b.get(i).grad().toArray(), "gradient of parameter " + i);
            }
        }
    }

    private static int countNonPositive(float[] x) {
        int n = 0;
        for (float v : x) if (v <= 0f) n++;
        return n;
    }
}
