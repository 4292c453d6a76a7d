package org.deephash4j.autograd;

import static org.deephash4j.autograd.Oracles.offZero;
import static org.deephash4j.autograd.Oracles.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.ArrayAsserts;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient checks ({@link GradientCheck}: double oracle written from the
 * formula, h = 1e-6, atol 1e-4, rtol 1e-3) of the ops ResNet-18 and AlexNet add: batch
 * normalisation in training mode (through the batch statistics) and in evaluation mode,
 * adaptive and global average pooling, convolution without bias at the backbones' strides, and
 * the residual addition, where one tensor feeds two branches.
 */
class BackboneOpsGradientTest {
    private static final Backend CPU = Backends.cpu();
    private static final float EPS = 1e-5f;

    private static double[] toDouble(Tensor t) {
        return ArrayAsserts.toDouble(t.toArray());
    }

    @Test
    void batchNormWithBatchStatistics() {
        // {N, C, spatial dims...}: images, a batch of one, one position per channel, a matrix
        int[][] shapes = {{2, 3, 4, 5}, {1, 2, 3, 3}, {5, 2, 1, 1}, {6, 4}, {3, 1, 2, 7}};
        long seed = 300;
        for (int[] dims : shapes) {
            int n = dims[0], c = dims[1];
            int size = 1;
            for (int d : dims) size *= d;
            int spatial = size / (n * c);
            float[] x = uniform(seed++, size, -1, 3);
            Tensor runningMean = Tensors.zeros(CPU, c);
            Tensor runningVar = Tensors.ones(CPU, c);
            GradientCheck.named("batchNorm training " + java.util.Arrays.toString(dims))
                    .input(x, dims)
                    .input(uniform(seed++, c, 0.5f, 1.5f), c)
                    .input(uniform(seed++, c, -1, 1), c)
                    .engine(t -> Ops.batchNorm(t[0], t[1], t[2], runningMean, runningVar, true, 0.1f, EPS))
                    .oracle(v -> Oracles.batchNorm(v[0], v[1], v[2], null, null, EPS, n, c, spatial))
                    .run(CPU);
            runningMean.close();
            runningVar.close();
        }
    }

    @Test
    void batchNormWithRunningStatistics() {
        int[][] shapes = {{2, 3, 4, 5}, {1, 2, 1, 1}, {4, 3}};
        long seed = 320;
        for (int[] dims : shapes) {
            int n = dims[0], c = dims[1];
            int size = 1;
            for (int d : dims) size *= d;
            int spatial = size / (n * c);
            Tensor runningMean = Tensors.fromArray(CPU, uniform(seed++, c, -0.5f, 0.5f), c);
            Tensor runningVar = Tensors.fromArray(CPU, uniform(seed++, c, 0.5f, 2f), c);
            double[] mean = toDouble(runningMean);
            double[] var = toDouble(runningVar);
            GradientCheck.named("batchNorm evaluation " + java.util.Arrays.toString(dims))
                    .input(uniform(seed++, size, -2, 2), dims)
                    .input(uniform(seed++, c, 0.5f, 1.5f), c)
                    .input(uniform(seed++, c, -1, 1), c)
                    .engine(t -> Ops.batchNorm(t[0], t[1], t[2], runningMean, runningVar, false, 0.1f, EPS))
                    .oracle(v -> Oracles.batchNorm(v[0], v[1], v[2], mean, var, EPS, n, c, spatial))
                    .run(CPU);
            runningMean.close();
            runningVar.close();
        }
    }

    @Test
    void batchNormLargeAlongRandomDirections() {
        int n = 4, c = 3, h = 9, w = 11;
        int size = n * c * h * w;
        GradientCheck.named("batchNorm training [4, 3, 9, 11], large")
                .input(uniform(340, size, -1, 3), n, c, h, w)
                .input(uniform(341, c, 0.5f, 1.5f), c)
                .input(uniform(342, c, -1, 1), c)
                .engine(t -> Ops.batchNorm(t[0], t[1], t[2], null, null, true, 0.1f, EPS))
                .oracle(v -> Oracles.batchNorm(v[0], v[1], v[2], null, null, EPS, n, c, h * w))
                .run(CPU);
    }

    @Test
    void adaptiveAndGlobalAveragePooling() {
        // {N, C, H, W, outH, outW}: global, uniform (AlexNet 12 -> 6), identity, repetition (1 -> 6, 2x3 -> 6x6),
        // overlapping windows
        int[][] cases = {{2, 3, 5, 7, 1, 1}, {1, 2, 12, 12, 6, 6}, {1, 2, 6, 6, 6, 6}, {2, 1, 1, 1, 6, 6},
            {1, 2, 2, 3, 6, 6}, {2, 2, 7, 5, 3, 2}, {1, 1, 13, 4, 5, 3}};
        long seed = 360;
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], oh = c[4], ow = c[5];
            GradientCheck.named("adaptiveAvgPool2d [" + n + ", " + ch + ", " + h + ", " + w + "] to " + oh + "x" + ow)
                    .input(uniform(seed++, n * ch * h * w, -1, 1), n, ch, h, w)
                    .engine(t -> Ops.adaptiveAvgPool2d(t[0], oh, ow))
                    .oracle(v -> Oracles.adaptiveAvgPool2d(v[0], n, ch, h, w, oh, ow))
                    .run(CPU);
        }
        GradientCheck.named("globalAvgPool2d [2, 3, 4, 5] to [2, 3]")
                .input(uniform(370, 120, -1, 1), 2, 3, 4, 5)
                .engine(t -> {
                    Tensor y = Ops.globalAvgPool2d(t[0]);
                    assertTrue(y.rank() == 2 && y.dim(0) == 2 && y.dim(1) == 3, "global pooling gives [N, C], got " + y.shape());
                    return y;
                })
                .oracle(v -> Oracles.adaptiveAvgPool2d(v[0], 2, 3, 4, 5, 1, 1))
                .run(CPU);
    }

    @Test
    void convolutionOfTheBackbones() {
        // {N, C, H, W, outC, k, stride, padding, bias}: ResNet's 1x1 stride-2 shortcut, 3x3 stride 2,
        // 7x7 stride 2 stem (no bias), AlexNet's 11x11 stride 4 stem (bias), on odd and even sizes
        int[][] cases = {
            {2, 4, 7, 6, 5, 1, 2, 0, 0},
            {2, 3, 8, 7, 4, 3, 2, 1, 0},
            {1, 2, 9, 11, 3, 7, 2, 3, 0},
            {1, 2, 15, 13, 2, 11, 4, 2, 1},
            {1, 3, 6, 6, 2, 3, 1, 1, 0},
        };
        long seed = 380;
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], oc = c[4], k = c[5], s = c[6], p = c[7];
            boolean bias = c[8] == 1;
            GradientCheck check = GradientCheck.named("conv2d [" + n + ", " + ch + ", " + h + ", " + w + "] weight ["
                            + oc + ", " + ch + ", " + k + ", " + k + "] stride " + s + " padding " + p + (bias ? "" : " no bias"))
                    .input(uniform(seed++, n * ch * h * w, -1, 1), n, ch, h, w)
                    .input(uniform(seed++, oc * ch * k * k, -1, 1), oc, ch, k, k);
            if (bias) check.input(uniform(seed++, oc, -1, 1), oc);
            check.engine(t -> Ops.conv2d(t[0], t[1], bias ? t[2] : null, s, p))
                    .oracle(v -> Oracles.conv2d(v[0], v[1], bias ? v[2] : null, n, ch, h, w, oc, k, k, s, p))
                    .run(CPU);
        }
    }

    @Test
    void residualAdditionSumsTheGradientsOfBothBranches() {
        // y = relu(conv(x) + x): x reaches y through the convolution and through the identity shortcut
        int n = 2, c = 3, h = 5, w = 4;
        GradientCheck.named("relu(conv3x3(x) + x), identity shortcut")
                .input(uniform(400, n * c * h * w, -1, 1), n, c, h, w)
                .input(uniform(401, c * c * 9, -0.3f, 0.3f), c, c, 3, 3)
                .engine(t -> Ops.relu(Ops.add(Ops.conv2d(t[0], t[1], null, 1, 1), t[0])))
                .oracle(v -> Oracles.map(Oracles.add(Oracles.conv2d(v[0], v[1], null, n, c, h, w, c, 3, 3, 1, 1), v[0]),
                        z -> Math.max(z, 0)))
                .tolerance(1e-4, 1e-3)
                .run(CPU);
        GradientCheck.named("add(x, x)").input(offZero(402, 12, 0.1f), 3, 4)
                .engine(t -> Ops.add(t[0], t[0]))
                .oracle(v -> Oracles.add(v[0], v[0])).run(CPU);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = Tensors.zeros(CPU, 2, 3, 4, 4);
        Tensor three = Tensors.ones(CPU, 3);
        Tensor four = Tensors.ones(CPU, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.batchNorm(x, four, three, null, null, true, 0.1f, EPS));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("[4]") && e.getMessage().contains("[3]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Ops.batchNorm(Tensors.zeros(CPU, 1, 3, 1, 1), three, three, null, null, true, 0.1f, EPS));
        assertTrue(e.getMessage().contains("more than 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Ops.batchNorm(x, three, three, null, null, false, 0.1f, EPS));
        assertTrue(e.getMessage().contains("evaluation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.adaptiveAvgPool2d(x, 0, 6));
        assertTrue(e.getMessage().contains("0x6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.globalAvgPool2d(Tensors.zeros(CPU, 2, 3)));
        assertTrue(e.getMessage().contains("[N, C, H, W]"), e.getMessage());
    }
}
