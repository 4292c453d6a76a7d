package org.deephash4j.doctor;

import static org.deephash4j.doctor.KernelChecks.AWKWARD;
import static org.deephash4j.doctor.KernelChecks.random;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.cpu.CpuKernelSets;
import org.deephash4j.backend.cpu.CpuKernels;

/**
 * The doctor's cases for GEMM, convolution and pooling (see {@link KernelChecks}). Tolerances:
 * GEMM {@code atol = (1e-5 + 2e-6 · K) · max(1, |alpha|)}, {@code rtol = 1e-4}; convolution
 * {@code atol = 2e-6 ·} (reduction length), {@code rtol = 1e-4} (ClGemmTest, ClConv2dTest);
 * max-pool forward exact (it moves values; inputs hold many ties, which go to the first
 * position), backward and averages {@code 1e-6, 1e-5} (PoolKernelsTest).
 */
final class MatrixCases {
    /** Square, tall, wide, size-1 and LeNet geometries, odd and non-square, strides 1 to 3, padding. */
    private static final Conv2dGeometry[] CONV = {
        new Conv2dGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0),
        new Conv2dGeometry(2, 3, 7, 5, 4, 3, 2, 1, 1),
        new Conv2dGeometry(3, 2, 13, 11, 5, 3, 3, 2, 1),
        new Conv2dGeometry(1, 4, 9, 9, 3, 5, 5, 3, 2),
        new Conv2dGeometry(2, 1, 6, 7, 7, 1, 3, 1, 0),
        new Conv2dGeometry(3, 7, 13, 11, 5, 1, 1, 1, 0),      // pointwise
        new Conv2dGeometry(2, 2, 5, 5, 17, 5, 5, 1, 0),       // kernel = image: one position, 16 + 1 channels
        new Conv2dGeometry(5, 2, 9, 9, 3, 3, 3, 1, 1),        // batch not a multiple of any thread count
        new Conv2dGeometry(2, 3, 31, 17, 8, 4, 3, 2, 3),
        new Conv2dGeometry(4, 6, 12, 12, 65, 5, 5, 1, 0),     // 64 + 1 output channels
        new Conv2dGeometry(8, 1, 28, 28, 32, 5, 5, 1, 2),     // LeNet conv1, batch 8
        new Conv2dGeometry(8, 32, 14, 14, 64, 5, 5, 1, 2),    // LeNet conv2, batch 8: the large case
    };

    private static final Pool2dGeometry[] POOL = {
        new Pool2dGeometry(1, 1, 1, 1, 1, 1, 1, 0),
        new Pool2dGeometry(2, 3, 8, 8, 2, 2, 2, 0),
        new Pool2dGeometry(1, 2, 7, 9, 3, 3, 2, 1),           // overlapping windows, padding
        new Pool2dGeometry(3, 1, 13, 5, 3, 2, 1, 1),          // non-square window, stride 1
        new Pool2dGeometry(2, 2, 11, 11, 2, 3, 3, 1),         // stride larger than the window
        new Pool2dGeometry(3, 17, 9, 17, 2, 2, 2, 0),         // odd image: the last row and column are dropped
        new Pool2dGeometry(5, 65, 15, 15, 3, 3, 2, 1),
        new Pool2dGeometry(16, 32, 28, 28, 2, 2, 2, 0),       // LeNet's first pooling, batch 16: the large case
    };

    private MatrixCases() {
    }

    // ---------------------------------------------------------------- GEMM

    static List<ParityCase> gemm() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : AWKWARD) {                       // each awkward size in each position, small partners
            shapes.add(new int[] {s, 13, 7});
            shapes.add(new int[] {5, s, 3});
            shapes.add(new int[] {3, 7, s});
        }
        shapes.add(new int[] {203, 130, 517});        // large: OpenCL's register-blocked kernel (m·n >= 16,384)
        shapes.add(new int[] {129, 127, 1});
        shapes.add(new int[] {1, 16_411, 3});
        shapes.add(new int[] {128, 128, 128});        // every dimension a multiple of every tile
        shapes.add(new int[] {3, 2, 0});              // K = 0: C = beta · C
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1;
        int t = 0;
        for (int[] sh : shapes) {
            boolean large = (long) sh[0] * sh[1] >= 16_384;
            for (int transposes = large ? 4 : 1, i = 0; i < transposes; i++, t++) {
                cases.add(gemmCase(sh[0], sh[1], sh[2], (t & 1) != 0, (t & 2) != 0, t % 3 == 2 ? 0.5f : 0f,
                        t % 5 == 4 ? -1.5f : 0.75f, seed));
                seed += 3;
            }
        }
        return cases;
    }

    private static ParityCase gemmCase(int m, int n, int k, boolean transA, boolean transB, float beta, float alpha,
                                       long seed) {
        int aOff = 1, bOff = 2, cOff = 3;
        float[] a = random(seed, aOff + m * k);
        float[] b = random(seed + 1, bOff + k * n);
        float[] c = random(seed + 2, cOff + m * n + 2);
        if (beta == 0f) Arrays.fill(c, cOff, cOff + m * n, Float.NaN);   // beta = 0 must ignore C, even NaN
        String what = "gemm m=" + m + " n=" + n + " k=" + k + (transA ? " transA" : "") + (transB ? " transB" : "")
                + " alpha=" + alpha + " beta=" + beta + " seed=" + seed;
        return new ParityCase(what, new float[][] {a, b, c},
                (be, s) -> be.gemm(transA, transB, m, n, k, alpha, s[0], aOff, s[1], bOff, beta, s[2], cOff),
                (1e-5 + 2e-6 * k) * Math.max(1, Math.abs(alpha)), 1e-4);
    }

    // ---------------------------------------------------------------- convolution

    static List<ParityCase> conv2dForward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 100;
        for (Conv2dGeometry g : CONV) {
            float[][] buffers = {new float[(int) g.outputSize()], random(seed, (int) g.inputSize()),
                random(seed + 1, (int) g.weightSize()), random(seed + 2, g.outChannels())};
            double atol = 2e-6 * Math.max(1, g.inChannels() * g.kernelHeight() * g.kernelWidth());
            cases.add(new ParityCase("conv2dForward " + g, buffers, (b, s) -> b.conv2dForward(s[0], s[1], s[2], s[3], g),
                    atol, 1e-4));
            cases.add(new ParityCase("conv2dForward without bias " + g, buffers,
                    (b, s) -> b.conv2dForward(s[0], s[1], s[2], null, g), atol, 1e-4));
            seed += 3;
        }
        return cases;
    }

    static List<ParityCase> conv2dBackwardData() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 200;
        for (Conv2dGeometry g : CONV) {
            float[][] buffers = {random(seed, (int) g.inputSize()), random(seed + 1, (int) g.outputSize()),
                random(seed + 2, (int) g.weightSize())};
            double atol = 2e-6 * Math.max(1, g.outChannels() * g.kernelHeight() * g.kernelWidth());
            cases.add(new ParityCase("conv2dBackwardData " + g, buffers,
                    (b, s) -> b.conv2dBackwardData(s[0], s[1], s[2], g), atol, 1e-4));
            seed += 3;
        }
        return cases;
    }

    static List<ParityCase> conv2dBackwardFilter() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 300;
        for (Conv2dGeometry g : CONV) {
            float[][] buffers = {random(seed, (int) g.weightSize()), random(seed + 1, g.outChannels()),
                random(seed + 2, (int) g.outputSize()), random(seed + 3, (int) g.inputSize())};
            double atol = 2e-6 * Math.max(1, g.batch() * g.outHeight() * g.outWidth());
            cases.add(new ParityCase("conv2dBackwardFilter " + g, buffers,
                    (b, s) -> b.conv2dBackwardFilter(s[0], s[1], s[2], s[3], g), atol, 1e-4));
            cases.add(new ParityCase("conv2dBackwardFilter without bias " + g, buffers,
                    (b, s) -> b.conv2dBackwardFilter(s[0], null, s[2], s[3], g), atol, 1e-4));
            seed += 4;
        }
        return cases;
    }

    // ---------------------------------------------------------------- pooling

    /** Inputs in [-2, 2] rounded to quarters: 17 distinct values, so windows hold ties. */
    private static float[] withTies(long seed, int n) {
        float[] x = random(seed, n, -2f, 2f);
        for (int i = 0; i < n; i++) x[i] = Math.round(x[i] * 4) / 4f;
        return x;
    }

    static List<ParityCase> maxPool2dForward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 400;
        for (Pool2dGeometry g : POOL) {
            float[][] buffers = {new float[(int) g.outputSize()], withTies(seed++, (int) g.inputSize())};
            cases.add(new ParityCase("maxPool2dForward " + g, buffers, (b, s) -> b.maxPool2dForward(s[0], s[1], g), 0, 0));
        }
        return cases;
    }

    static List<ParityCase> maxPool2dBackward() {
        CpuKernels reference = CpuKernelSets.named("reference");
        List<ParityCase> cases = new ArrayList<>();
        long seed = 500;
        for (Pool2dGeometry g : POOL) {
            float[] x = withTies(seed, (int) g.inputSize());
            float[] y = new float[(int) g.outputSize()];
            reference.maxPool2dForward(y, x, g);        // the forward's output, which the backward reads
            float[][] buffers = {random(seed + 1, x.length), random(seed + 2, y.length), x, y};
            cases.add(new ParityCase("maxPool2dBackward " + g, buffers,
                    (b, s) -> b.maxPool2dBackward(s[0], s[1], s[2], s[3], g), 1e-6, 1e-5));
            seed += 3;
        }
        return cases;
    }

    static List<ParityCase> avgPool2dForward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 600;
        for (Pool2dGeometry g : POOL) {
            float[][] buffers = {new float[(int) g.outputSize()], random(seed++, (int) g.inputSize())};
            cases.add(new ParityCase("avgPool2dForward " + g, buffers, (b, s) -> b.avgPool2dForward(s[0], s[1], g),
                    1e-6, 1e-5));
        }
        return cases;
    }

    static List<ParityCase> avgPool2dBackward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 700;
        for (Pool2dGeometry g : POOL) {
            float[][] buffers = {random(seed, (int) g.inputSize()), random(seed + 1, (int) g.outputSize())};
            cases.add(new ParityCase("avgPool2dBackward " + g, buffers, (b, s) -> b.avgPool2dBackward(s[0], s[1], g),
                    1e-6, 1e-5));
            seed += 2;
        }
        return cases;
    }
}
