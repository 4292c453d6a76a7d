package org.deephash4j.autograd;

import static org.deephash4j.autograd.Oracles.distinct;
import static org.deephash4j.autograd.Oracles.offZero;
import static org.deephash4j.autograd.Oracles.uniform;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A finite-difference gradient check ({@link GradientCheck}: double oracle, h = 1e-6,
 * atol = 1e-4, rtol = 1e-3 unless stated) for every op in {@link Ops}, on shapes that include 1,
 * odd sizes, non-square kernels and images, stride 2 and padding. The oracle also checks the forward.
 */
class OpsGradientTest {
    private static final Backend CPU = Backends.cpu();

    private static int size(int... dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    @Test
    void matmulAllTransposeFlags() {
        int[][] mnk = {{1, 1, 1}, {3, 5, 7}, {13, 1, 4}, {2, 9, 1}};
        long seed = 1;
        for (int[] s : mnk) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int[] aDims = ta ? new int[] {k, m} : new int[] {m, k};
                    int[] bDims = tb ? new int[] {n, k} : new int[] {k, n};
                    GradientCheck.named("matmul m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb)
                            .input(uniform(seed++, m * k, -1, 1), aDims)
                            .input(uniform(seed++, k * n, -1, 1), bDims)
                            .engine(in -> Ops.matmul(in[0], in[1], ta, tb))
                            .oracle(x -> Oracles.matmul(x[0], x[1], m, n, k, ta, tb))
                            .run(CPU);
                }
            }
        }
        GradientCheck.named("matmul(a, b)")
                .input(uniform(3, 12, -1, 1), 3, 4).input(uniform(4, 8, -1, 1), 4, 2)
                .engine(in -> Ops.matmul(in[0], in[1]))
                .oracle(x -> Oracles.matmul(x[0], x[1], 3, 2, 4, false, false))
                .run(CPU);
    }

    @Test
    void scaledMatmulAndMulScalar() {
        GradientCheck.named("matmul alpha = -0.75, transB")
                .input(uniform(21, 15, -1, 1), 3, 5).input(uniform(22, 35, -1, 1), 7, 5)
                .engine(in -> Ops.matmul(in[0], in[1], false, true, -0.75f))
                .oracle(x -> {
                    double[] c = Oracles.matmul(x[0], x[1], 3, 7, 5, false, true);
                    for (int i = 0; i < c.length; i++) c[i] *= -0.75;
                    return c;
                })
                .run(CPU);
        for (int[] dims : new int[][] {{1}, {2, 3}, {17, 5}, {2, 3, 4, 5}}) {
            int n = size(dims);
            GradientCheck.named("mulScalar " + java.util.Arrays.toString(dims))
                    .input(uniform(23 + n, n, -1, 1), dims)
                    .input(uniform(24 + n, 1, -2, 2))
                    .engine(in -> Ops.mulScalar(in[0], in[1]))
                    .oracle(x -> {
                        double[] y = new double[x[0].length];
                        for (int i = 0; i < y.length; i++) y[i] = x[0][i] * x[1][0];
                        return y;
                    })
                    .run(CPU);
        }
    }

    @Test
    void linearWithAndWithoutBias() {
        int[][] cases = {{5, 7, 3}, {1, 1, 1}, {4, 13, 9}};
        long seed = 10;
        for (int[] c : cases) {
            int n = c[0], in = c[1], out = c[2];
            GradientCheck.named("linear " + n + "x" + in + " -> " + out)
                    .input(uniform(seed++, n * in, -1, 1), n, in)
                    .input(uniform(seed++, out * in, -1, 1), out, in)
                    .input(uniform(seed++, out, -1, 1), out)
                    .engine(t -> Ops.linear(t[0], t[1], t[2]))
                    .oracle(x -> Oracles.linear(x[0], x[1], x[2], n, in, out))
                    .run(CPU);
            GradientCheck.named("linear without bias " + n + "x" + in + " -> " + out)
                    .input(uniform(seed++, n * in, -1, 1), n, in)
                    .input(uniform(seed++, out * in, -1, 1), out, in)
                    .engine(t -> Ops.linear(t[0], t[1], null))
                    .oracle(x -> Oracles.linear(x[0], x[1], null, n, in, out))
                    .run(CPU);
        }
    }

    @Test
    void conv2dStridesPaddingAndNonSquareKernels() {
        // {N, C, H, W, outC, kH, kW, stride, padding, bias}
        int[][] cases = {
            {2, 3, 7, 5, 4, 3, 2, 1, 0, 1},
            {1, 1, 6, 9, 2, 3, 3, 2, 1, 1},
            {3, 2, 5, 5, 1, 5, 5, 1, 2, 0},
            {2, 2, 8, 7, 3, 1, 3, 2, 0, 1},
            {1, 1, 1, 1, 1, 1, 1, 1, 0, 1},
            {1, 2, 4, 3, 3, 2, 3, 2, 1, 0},
        };
        long seed = 100;
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], oc = c[4], kh = c[5], kw = c[6], s = c[7], p = c[8];
            boolean bias = c[9] == 1;
            GradientCheck check = GradientCheck.named("conv2d input [" + n + ", " + ch + ", " + h + ", " + w
                            + "] weight [" + oc + ", " + ch + ", " + kh + ", " + kw + "] stride " + s + " padding " + p)
                    .input(uniform(seed++, n * ch * h * w, -1, 1), n, ch, h, w)
                    .input(uniform(seed++, oc * ch * kh * kw, -1, 1), oc, ch, kh, kw);
            if (bias) check.input(uniform(seed++, oc, -1, 1), oc);
            check.engine(t -> Ops.conv2d(t[0], t[1], bias ? t[2] : null, s, p))
                    .oracle(x -> Oracles.conv2d(x[0], x[1], bias ? x[2] : null, n, ch, h, w, oc, kh, kw, s, p))
                    .run(CPU);
        }
    }

    @Test
    void largeTensorsAlongRandomDirections() {
        // more than GradientCheck.MAX_COORDINATES elements: checked along random unit directions
        GradientCheck.named("linear [64, 50] -> 20, large")
                .input(uniform(150, 64 * 50, -1, 1), 64, 50)
                .input(uniform(151, 20 * 50, -1, 1), 20, 50)
                .input(uniform(152, 20, -1, 1), 20)
                .engine(t -> Ops.linear(t[0], t[1], t[2]))
                .oracle(x -> Oracles.linear(x[0], x[1], x[2], 64, 50, 20))
                .run(CPU);
        GradientCheck.named("conv2d input [2, 3, 16, 15] weight [8, 3, 5, 3] stride 2 padding 2, large")
                .input(uniform(153, 2 * 3 * 16 * 15, -1, 1), 2, 3, 16, 15)
                .input(uniform(154, 8 * 3 * 5 * 3, -1, 1), 8, 3, 5, 3)
                .input(uniform(155, 8, -1, 1), 8)
                .engine(t -> Ops.conv2d(t[0], t[1], t[2], 2, 2))
                .oracle(x -> Oracles.conv2d(x[0], x[1], x[2], 2, 3, 16, 15, 8, 5, 3, 2, 2))
                .run(CPU);
        GradientCheck.named("maxPool2d [2, 4, 13, 11] window 3x3 stride 2 padding 1, large")
                .input(distinct(156, 2 * 4 * 13 * 11), 2, 4, 13, 11)
                .engine(t -> Ops.maxPool2d(t[0], 3, 3, 2, 1))
                .oracle(x -> Oracles.pool2d(true, x[0], 2, 4, 13, 11, 3, 3, 2, 1))
                .run(CPU);
    }

    @Test
    void maxAndAvgPool() {
        // {N, C, H, W, kH, kW, stride, padding}
        int[][] cases = {
            {2, 3, 7, 5, 2, 2, 2, 0},
            {1, 2, 6, 9, 3, 2, 1, 1},
            {3, 1, 5, 5, 3, 3, 2, 1},
            {1, 1, 1, 1, 1, 1, 1, 0},
            {2, 2, 4, 7, 2, 3, 1, 0},
        };
        long seed = 200;
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], kh = c[4], kw = c[5], s = c[6], p = c[7];
            String shape = "[" + n + ", " + ch + ", " + h + ", " + w + "] window " + kh + "x" + kw + " stride " + s
                    + " padding " + p;
            GradientCheck.named("maxPool2d " + shape)
                    .input(distinct(seed++, n * ch * h * w), n, ch, h, w)      // no ties
                    .engine(t -> Ops.maxPool2d(t[0], kh, kw, s, p))
                    .oracle(x -> Oracles.pool2d(true, x[0], n, ch, h, w, kh, kw, s, p))
                    .run(CPU);
            GradientCheck.named("avgPool2d " + shape)
                    .input(uniform(seed++, n * ch * h * w, -1, 1), n, ch, h, w)
                    .engine(t -> Ops.avgPool2d(t[0], kh, kw, s, p))
                    .oracle(x -> Oracles.pool2d(false, x[0], n, ch, h, w, kh, kw, s, p))
                    .run(CPU);
        }
    }

    private static void unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator f, float[] values,
                              int... dims) {
        GradientCheck.named(name)
                .input(values, dims)
                .engine(t -> op.apply(t[0]))
                .oracle(x -> Oracles.map(x[0], f))
                .run(CPU);
    }

    @Test
    void unaryFunctions() {
        int[][] shapes = {{1}, {3, 7}, {2, 3, 4, 5}};
        long seed = 300;
        for (int[] d : shapes) {
            int n = size(d);
            unary("relu", Ops::relu, v -> Math.max(v, 0), offZero(seed++, n, 0.05f), d);
            unary("sigmoid", Ops::sigmoid, v -> 1 / (1 + Math.exp(-v)), uniform(seed++, n, -4, 4), d);
            unary("tanh", Ops::tanh, Math::tanh, uniform(seed++, n, -3, 3), d);
            unary("exp", Ops::exp, Math::exp, uniform(seed++, n, -2, 2), d);
            unary("log", Ops::log, Math::log, uniform(seed++, n, 0.2f, 3), d);
            unary("abs", Ops::abs, Math::abs, offZero(seed++, n, 0.05f), d);
            unary("softplus", Ops::softplus, v -> Math.log1p(Math.exp(v)), uniform(seed++, n, -6, 6), d);
            unary("logCosh", Ops::logCosh, v -> Math.log(Math.cosh(v)), uniform(seed++, n, -4, 4), d);
            unary("square", Ops::square, v -> v * v, uniform(seed++, n, -2, 2), d);
            unary("neg", Ops::neg, v -> -v, uniform(seed++, n, -2, 2), d);
            unary("scale", t -> Ops.scale(t, -2.5f), v -> -2.5 * v, uniform(seed++, n, -2, 2), d);
            unary("affine", t -> Ops.affine(t, 0.75f, -1.5f), v -> 0.75 * v - 1.5, uniform(seed++, n, -2, 2), d);
        }
        // large arguments stay finite and keep their slopes (stable forms)
        unary("softplus large |x|", Ops::softplus, v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),
                new float[] {-40f, -20f, 20f, 40f}, 4);
        unary("logCosh large |x|", Ops::logCosh,
                v -> Math.abs(v) + Math.log1p(Math.exp(-2 * Math.abs(v))) - Math.log(2),
                new float[] {-40f, -20f, 20f, 40f}, 4);
    }

    @Test
    void elementWiseBinary() {
        int[][] shapes = {{1}, {4, 5}, {2, 3, 3}};
        long seed = 400;
        for (int[] d : shapes) {
            int n = size(d);
            binary("add", Ops::add, Double::sum, uniform(seed++, n, -1, 1), uniform(seed++, n, -1, 1), d);
            binary("sub", Ops::sub, (a, b) -> a - b, uniform(seed++, n, -1, 1), uniform(seed++, n, -1, 1), d);
            binary("mul", Ops::mul, (a, b) -> a * b, uniform(seed++, n, -1, 1), uniform(seed++, n, -1, 1), d);
            binary("div", Ops::div, (a, b) -> a / b, uniform(seed++, n, -1, 1), offZero(seed++, n, 0.5f), d);
        }
    }

    private static void binary(String name, java.util.function.BinaryOperator<Tensor> op,
                               java.util.function.DoubleBinaryOperator f, float[] a, float[] b, int... dims) {
        GradientCheck.named(name + " " + java.util.Arrays.toString(dims))
                .input(a, dims).input(b, dims)
                .engine(t -> op.apply(t[0], t[1]))
                .oracle(x -> {
                    double[] y = new double[x[0].length];
                    for (int i = 0; i < y.length; i++) y[i] = f.applyAsDouble(x[0][i], x[1][i]);
                    return y;
                })
                .run(CPU);
    }

    @Test
    void biasAndChannelScaleOverDimensionOne() {
        int[][] shapes = {{5, 3}, {2, 3, 4, 5}, {1, 1}, {3, 2, 1, 7}};
        long seed = 500;
        for (int[] d : shapes) {
            int n = size(d);
            int channels = d[1];
            int inner = n / (d[0] * channels);
            for (boolean multiply : new boolean[] {false, true}) {
                GradientCheck.named((multiply ? "mulBias " : "addBias ") + java.util.Arrays.toString(d))
                        .input(uniform(seed++, n, -1, 1), d)
                        .input(uniform(seed++, channels, -1, 1), channels)
                        .engine(t -> multiply ? Ops.mulBias(t[0], t[1]) : Ops.addBias(t[0], t[1]))
                        .oracle(x -> {
                            double[] y = new double[n];
                            for (int i = 0; i < n; i++) {
                                double v = x[1][(i / inner) % channels];
                                y[i] = multiply ? x[0][i] * v : x[0][i] + v;
                            }
                            return y;
                        })
                        .run(CPU);
            }
        }
    }

    @Test
    void sumAndMean() {
        int[] d = {3, 4, 5};
        long seed = 600;
        GradientCheck.named("sum all").input(uniform(seed++, 60, -1, 1), d)
                .engine(t -> Ops.sum(t[0])).oracle(x -> Oracles.sum(x[0], 1, 60, 1)).run(CPU);
        GradientCheck.named("mean all").input(uniform(seed++, 60, -1, 1), d)
                .engine(t -> Ops.mean(t[0])).oracle(x -> new double[] {Oracles.sum(x[0], 1, 60, 1)[0] / 60}).run(CPU);
        GradientCheck.named("sum of one element").input(new float[] {0.3f}, 1)
                .engine(t -> Ops.sum(t[0])).oracle(x -> x[0].clone()).run(CPU);
        for (int axis = -1; axis < 3; axis++) {
            int a = axis < 0 ? 2 : axis;
            int before = a == 0 ? 1 : a == 1 ? 3 : 12;
            int after = a == 0 ? 20 : a == 1 ? 5 : 1;
            int length = d[a];
            int ax = axis;
            GradientCheck.named("sum axis " + axis).input(uniform(seed++, 60, -1, 1), d)
                    .engine(t -> Ops.sum(t[0], ax))
                    .oracle(x -> Oracles.sum(x[0], before, length, after)).run(CPU);
            GradientCheck.named("mean axis " + axis).input(uniform(seed++, 60, -1, 1), d)
                    .engine(t -> Ops.mean(t[0], ax))
                    .oracle(x -> Oracles.map(Oracles.sum(x[0], before, length, after), v -> v / length)).run(CPU);
        }
        GradientCheck.named("sum axis 1 of [7, 1]").input(uniform(seed++, 7, -1, 1), 7, 1)
                .engine(t -> Ops.sum(t[0], 1)).oracle(x -> x[0].clone()).run(CPU);
    }

    @Test
    void softmaxCrossEntropy() {
        int[][] cases = {{5, 4}, {1, 1}, {7, 10}, {1, 3}};
        long seed = 700;
        for (int[] c : cases) {
            int n = c[0], classes = c[1];
            Random random = new Random(seed++);
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) labels[i] = random.nextInt(classes);
            GradientCheck.named("softmaxCrossEntropy [" + n + ", " + classes + "]")
                    .input(uniform(seed++, n * classes, -3, 3), n, classes)
                    .constant(labels, n)
                    .engine(t -> Ops.softmaxCrossEntropy(t[0], t[1]))
                    .oracle(x -> new double[] {Oracles.softmaxCrossEntropy(x[0], x[1], n, classes)})
                    .run(CPU);
        }
        // large logits: the stable form stays finite
        GradientCheck.named("softmaxCrossEntropy large logits")
                .input(new float[] {80f, -80f, 10f, 100f, 99f, -3f}, 2, 3)
                .constant(new float[] {2f, 1f}, 2)
                .engine(t -> Ops.softmaxCrossEntropy(t[0], t[1]))
                .oracle(x -> new double[] {Oracles.softmaxCrossEntropy(x[0], x[1], 2, 3)})
                .run(CPU);
    }

    @Test
    void reshapeFlattenAndTranspose() {
        GradientCheck.named("reshape [2, 3, 4] -> [6, 4] then matmul")
                .input(uniform(800, 24, -1, 1), 2, 3, 4)
                .input(uniform(801, 8, -1, 1), 4, 2)
                .engine(t -> Ops.matmul(Ops.reshape(t[0], 6, -1), t[1]))
                .oracle(x -> Oracles.matmul(x[0], x[1], 6, 2, 4, false, false))
                .run(CPU);
        GradientCheck.named("flatten [2, 3, 2, 2] then linear")
                .input(uniform(802, 24, -1, 1), 2, 3, 2, 2)
                .input(uniform(803, 60, -1, 1), 5, 12)
                .engine(t -> Ops.linear(Ops.flatten(t[0]), t[1], null))
                .oracle(x -> Oracles.linear(x[0], x[1], null, 2, 12, 5))
                .run(CPU);
        int[][] shapes = {{3, 5}, {1, 4}, {4, 1}, {6, 6}, {1, 1}};
        long seed = 810;
        for (int[] d : shapes) {
            int rows = d[0], cols = d[1];
            GradientCheck.named("transpose " + java.util.Arrays.toString(d))
                    .input(uniform(seed++, rows * cols, -1, 1), d)
                    .engine(t -> Ops.transpose(t[0]))
                    .oracle(x -> {
                        double[] y = new double[rows * cols];
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < cols; j++) y[j * rows + i] = x[0][i * cols + j];
                        }
                        return y;
                    })
                    .run(CPU);
        }
    }

    @Test
    void aTensorUsedTwiceGetsTheSumOfItsGradients() {
        GradientCheck.named("mul(x, x)").input(uniform(900, 12, -1, 1), 3, 4)
                .engine(t -> Ops.mul(t[0], t[0]))
                .oracle(x -> Oracles.map(x[0], v -> v * v)).run(CPU);
        GradientCheck.named("add(tanh x, tanh x)").input(uniform(901, 12, -1, 1), 3, 4)
                .engine(t -> {
                    Tensor h = Ops.tanh(t[0]);
                    return Ops.add(h, h);
                })
                .oracle(x -> Oracles.map(x[0], v -> 2 * Math.tanh(v))).run(CPU);
        GradientCheck.named("x · tanh(x) + x, intermediate used by two ops").input(uniform(902, 12, -1, 1), 3, 4)
                .engine(t -> {
                    Tensor h = Ops.tanh(t[0]);
                    return Ops.add(Ops.mul(h, Ops.sigmoid(h)), Ops.add(t[0], h));
                })
                .oracle(x -> Oracles.map(x[0], v -> {
                    double h = Math.tanh(v);
                    return h / (1 + Math.exp(-h)) + v + h;
                })).run(CPU);
    }
}
