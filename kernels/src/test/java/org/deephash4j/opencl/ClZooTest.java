package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.BiFunction;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.Backend;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.Parameter;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.zoo.AlexNet;
import org.deephash4j.zoo.ResNet18;
import org.junit.jupiter.api.Test;

/**
 * ResNet-18 and AlexNet on OpenCL against the same networks on the CPU reference kernels, from
 * the same seed (the weights are drawn on the host, so both start equal): the features in
 * evaluation and in training mode, every parameter's gradient, every parameter after one SGD
 * step and the running statistics, each within a normwise relative error
 * ||v_cl - v_cpu|| / ||v_cpu|| of 1e-4 (over every {@link #STRIDE}-th element of tensors larger than
 * {@link #WHOLE} elements: AlexNet's fully connected layers). ResNet-18 at 2 x 3 x 64 x 64 (layer4 sees 2 x 2 maps),
 * AlexNet at 1 x 3 x 63 x 63 (the smallest it takes); both run every new kernel (batch
 * normalisation in both modes, adaptive and global pooling) and the convolutions at the
 * backbones' strides. Afterwards no device buffer is left behind.
 */
class ClZooTest {
    private static final double TOLERANCE = 1e-4;
    /** Tensors up to this size are compared whole, larger ones at every STRIDE-th element. */
    private static final int WHOLE = 1 << 20;
    private static final int STRIDE = 101;

    @Test
    void resnet18OnOpenClMatchesTheCpuReference() {
        compare("resnet18", (b, seed) -> new ResNet18(b, seed), new int[] {2, 3, 64, 64});
    }

    @Test
    void alexnetOnOpenClMatchesTheCpuReference() {
        compare("alexnet", (b, seed) -> new AlexNet(b, seed), new int[] {1, 3, 63, 63});
    }

    private static void compare(String name, BiFunction<Backend, Long, Module> build, int[] dims) {
        OpenClBackend cl = OpenClTestSupport.backend();
        long liveBefore = cl.liveBytes();
        Map<String, float[]> expected = run(Parity.cpu(), build, dims);
        Map<String, float[]> actual = run(cl, build, dims);
        assertEquals(expected.keySet(), actual.keySet());
        double worst = 0;
        String worstName = "";
        for (String key : expected.keySet()) {
            double relative = relativeError(expected.get(key), actual.get(key));
            if (relative > worst) {
                worst = relative;
                worstName = key;
            }
            if (!(relative <= TOLERANCE)) {
                throw new AssertionError(name + " on " + cl.name() + ": " + key + " differs from the CPU reference: "
                        + "||cl - cpu|| / ||cpu|| = " + relative + " > " + TOLERANCE);
            }
        }
        System.out.printf("%s %s on %s: %d tensors, worst normwise relative error %.3g (%s)%n", name,
                java.util.Arrays.toString(dims), cl.deviceName(), expected.size(), worst, worstName);
        assertEquals(liveBefore, cl.liveBytes(), name + ": device buffers left behind");
    }

    /** Evaluation features, training features, gradients, parameters after one step, buffers: by name, on the host. */
    private static Map<String, float[]> run(Backend backend, BiFunction<Backend, Long, Module> build, int[] dims) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        try (Module net = build.apply(backend, 5L); Sgd sgd = new Sgd(net.parameters(), 0.01f);
             TensorScope scope = TensorScope.open()) {
            Tensor images = Tensors.rand(backend, 6, -1, 1, dims);
            net.eval();
            try (NoGrad off = NoGrad.enter()) {
                out.put("eval features", net.forward(images).toArray());
            }
            net.train();
            Tensor features = net.forward(images);
            out.put("train features", features.toArray());
            Graph.backward(features, Tensors.rand(backend, 7, -1, 1, features.shape().dims()));
            for (Map.Entry<String, Parameter> e : net.parametersByName().entrySet()) {
                out.put("gradient " + e.getKey(), kept(e.getValue().grad().toArray()));
            }
            sgd.step();
            net.stateByName().forEach((key, t) -> out.put("after step " + key, kept(t.toArray())));
        }
        return out;
    }

    private static float[] kept(float[] v) {
        if (v.length <= WHOLE) return v;
        float[] sample = new float[(v.length + STRIDE - 1) / STRIDE];
        for (int i = 0; i < sample.length; i++) sample[i] = v[i * STRIDE];
        return sample;
    }

    private static double relativeError(float[] expected, float[] actual) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(actual[i] - (double) expected[i], 2);
            norm += Math.pow(expected[i], 2);
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
}
