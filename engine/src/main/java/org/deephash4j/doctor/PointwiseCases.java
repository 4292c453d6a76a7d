package org.deephash4j.doctor;

import static org.deephash4j.doctor.KernelChecks.AWKWARD;
import static org.deephash4j.doctor.KernelChecks.LARGE;
import static org.deephash4j.doctor.KernelChecks.random;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.deephash4j.backend.cpu.CpuKernelSets;
import org.deephash4j.backend.cpu.CpuKernels;

/**
 * The doctor's cases for memory, element-wise kernels, reductions, losses, dropout and optimizer
 * steps (see {@link KernelChecks}), on the awkward sizes plus {@value KernelChecks#LARGE}.
 * Tolerances, the looser of the CPU and OpenCL parity suites: unary and its backward
 * {@code 1e-6, 4e-6}; binary and broadcast {@code 1e-7, 1e-6}; affine and axpy {@code 1e-6, 1e-6};
 * sum {@code 1e-6 ·} (reduction length), {@code 1e-5}; softmax cross-entropy {@code 1e-6, 1e-5}
 * (backward {@code 1e-7, 1e-5}); SGD and Adam over three steps {@code 1e-6, 1e-5}; copy, fill and
 * the dropout mask exactly.
 */
final class PointwiseCases {

    private PointwiseCases() {
    }

    /** The awkward sizes and the large one. */
    private static int[] sizes() {
        int[] s = java.util.Arrays.copyOf(AWKWARD, AWKWARD.length + 1);
        s[AWKWARD.length] = LARGE;
        return s;
    }

    // ---------------------------------------------------------------- memory

    static List<ParityCase> copy() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1;
        for (int n : sizes()) {
            int len = n;
            cases.add(new ParityCase("copy n=" + n + " to another storage at offset 3",
                    new float[][] {random(seed, n + 5), random(seed + 1, n)}, (b, s) -> b.copy(s[0], 3, s[1], 0, len), 0, 0));
            int shift = Math.max(1, n / 3);
            cases.add(new ParityCase("copy n=" + n + " overlapping, forward by " + shift,
                    new float[][] {random(seed + 2, n + shift)}, (b, s) -> b.copy(s[0], shift, s[0], 0, len), 0, 0));
            cases.add(new ParityCase("copy n=" + n + " overlapping, backward by " + shift,
                    new float[][] {random(seed + 3, n + shift)}, (b, s) -> b.copy(s[0], 0, s[0], shift, len), 0, 0));
            seed += 4;
        }
        return cases;
    }

    static List<ParityCase> fill() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 100;
        for (int n : sizes()) {
            int len = n;
            cases.add(new ParityCase("fill n=" + n + " of " + (n + 2), new float[][] {random(seed++, n + 2)},
                    (b, s) -> b.fill(s[0], -3.5f, len), 0, 0));
        }
        return cases;
    }

    // ---------------------------------------------------------------- element-wise

    /** LOG needs x > 0; the others see both signs and values large enough to saturate. */
    private static float[] unaryInput(UnaryOp op, long seed, int n) {
        return op == UnaryOp.LOG ? random(seed, n, 0.05f, 20f) : random(seed, n, -12f, 12f);
    }

    static List<ParityCase> unary() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 200;
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : sizes()) {
                int len = n;
                cases.add(new ParityCase("unary " + op + " n=" + n, new float[][] {unaryInput(op, seed++, n), new float[n]},
                        (b, s) -> b.unary(op, s[1], s[0], len), 1e-6, 4e-6));
            }
            cases.add(new ParityCase("unary " + op + " in place n=61", new float[][] {unaryInput(op, seed++, 61)},
                    (b, s) -> b.unary(op, s[0], s[0], 61), 1e-6, 4e-6));
        }
        return cases;
    }

    static List<ParityCase> unaryBackward() {
        CpuKernels reference = CpuKernelSets.named("reference");
        List<ParityCase> cases = new ArrayList<>();
        long seed = 300;
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : sizes()) {
                float[] x = unaryInput(op, seed, n);
                float[] y = new float[n];
                reference.unary(op, y, x, n);          // the forward's output, which some derivatives read
                int len = n;
                cases.add(new ParityCase("unaryBackward " + op + " n=" + n,
                        new float[][] {new float[n], random(seed + 1, n), x, y},
                        (b, s) -> b.unaryBackward(op, s[0], s[1], s[2], s[3], len), 1e-6, 4e-6));
                seed += 2;
            }
        }
        return cases;
    }

    static List<ParityCase> binary() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 400;
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : sizes()) {
                int len = n;
                // b away from 0 for DIV
                cases.add(new ParityCase("binary " + op + " n=" + n,
                        new float[][] {new float[n], random(seed, n, -2f, 2f), random(seed + 1, n, 0.5f, 2f)},
                        (b, s) -> b.binary(op, s[0], s[1], s[2], len), 1e-7, 1e-6));
                seed += 2;
            }
            cases.add(new ParityCase("binary " + op + " in place n=61",
                    new float[][] {random(seed, 61), random(seed + 1, 61, 0.5f, 2f)},
                    (b, s) -> b.binary(op, s[0], s[0], s[1], 61), 1e-7, 1e-6));
            seed += 2;
        }
        return cases;
    }

    static List<ParityCase> broadcast() {
        int[][] shapes = {{1, 1, 1}, {7, 13, 1}, {3, 5, 61}, {2, 1, 7}, {1, 509, 3}, {7, 17, 13}, {61, 3, 15},
            {128, 500, 1}, {3, 32, 784}, {2, 65, 63}};
        List<ParityCase> cases = new ArrayList<>();
        long seed = 500;
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] sh : shapes) {
                int outer = sh[0], mid = sh[1], inner = sh[2];
                int n = outer * mid * inner;
                cases.add(new ParityCase("broadcast " + op + " (outer " + outer + ", mid " + mid + ", inner " + inner + ")",
                        new float[][] {new float[n], random(seed, n), random(seed + 1, mid, 0.5f, 2f)},
                        (b, s) -> b.broadcast(op, s[0], s[1], s[2], outer, mid, inner), 1e-7, 1e-6));
                seed += 2;
            }
        }
        return cases;
    }

    static List<ParityCase> affine() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 600;
        for (int n : sizes()) {
            int len = n;
            cases.add(new ParityCase("affine n=" + n, new float[][] {new float[n], random(seed++, n, -2f, 2f)},
                    (b, s) -> b.affine(s[0], s[1], -1.75f, 0.25f, len), 1e-6, 1e-6));
        }
        return cases;
    }

    static List<ParityCase> axpy() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 700;
        for (int n : sizes()) {
            int len = n;
            cases.add(new ParityCase("axpy n=" + n, new float[][] {random(seed, n), random(seed + 1, n, -2f, 2f)},
                    (b, s) -> b.axpy(s[0], -0.75f, s[1], len), 1e-6, 1e-6));
            seed += 2;
        }
        return cases;
    }

    // ---------------------------------------------------------------- reductions and losses

    static List<ParityCase> sum() {
        int[][] shapes = {{1, 1, 1}, {1, 7, 1}, {1, 1031, 1}, {1, 2049, 1}, {1, LARGE, 1}, {7, 13, 1}, {1, 13, 61},
            {3, 5, 7}, {61, 2, 3}, {2, 5000, 3}, {300, 1, 1}, {128, 500, 1}, {17, 65, 16}};
        List<ParityCase> cases = new ArrayList<>();
        long seed = 800;
        for (int[] sh : shapes) {
            int outer = sh[0], mid = sh[1], inner = sh[2];
            cases.add(new ParityCase("sum (outer " + outer + ", mid " + mid + ", inner " + inner + ")",
                    new float[][] {new float[outer * inner], random(seed++, outer * mid * inner)},
                    (b, s) -> b.sum(s[0], s[1], outer, mid, inner), 1e-6 * mid, 1e-5));
        }
        return cases;
    }

    private static final int[][] SOFTMAX_SIZES = {{1, 1}, {1, 2}, {7, 10}, {61, 7}, {128, 10}, {3, 1000}, {65, 2}, {17, 17}};

    private static float[] labels(long seed, int n, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = r.nextInt(classes);
        return labels;
    }

    static List<ParityCase> softmaxCrossEntropy() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 900;
        for (int[] sz : SOFTMAX_SIZES) {
            int n = sz[0], classes = sz[1];
            // logits up to ±40: an unstabilised softmax would overflow
            cases.add(new ParityCase("softmaxCrossEntropy n=" + n + " classes=" + classes,
                    new float[][] {new float[1], new float[n * classes], random(seed, n * classes, -40f, 40f),
                        labels(seed, n, classes)},
                    (b, s) -> b.softmaxCrossEntropy(s[0], s[1], s[2], s[3], n, classes), 1e-6, 1e-5));
            seed++;
        }
        return cases;
    }

    static List<ParityCase> softmaxCrossEntropyBackward() {
        CpuKernels reference = CpuKernelSets.named("reference");
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1000;
        for (int[] sz : SOFTMAX_SIZES) {
            int n = sz[0], classes = sz[1];
            float[] labels = labels(seed, n, classes);
            float[] probs = new float[n * classes];
            reference.softmaxCrossEntropy(new float[1], probs, random(seed, n * classes, -40f, 40f), labels, n, classes);
            cases.add(new ParityCase("softmaxCrossEntropyBackward n=" + n + " classes=" + classes,
                    new float[][] {new float[n * classes], probs, labels, {0.7f}},
                    (b, s) -> b.softmaxCrossEntropyBackward(s[0], s[1], s[2], s[3], n, classes), 1e-7, 1e-5));
            seed++;
        }
        return cases;
    }

    // ---------------------------------------------------------------- randomness and optimizers

    static List<ParityCase> dropoutMask() {
        long[] seeds = {0L, 42L, -1L, Long.MIN_VALUE + 7, 0x9E3779B97F4A7C15L};
        float[] ps = {0f, 0.1f, 0.5f, 0.9f};
        List<ParityCase> cases = new ArrayList<>();
        int c = 0;
        for (int n : sizes()) {
            long seed = seeds[c % seeds.length];
            float p = ps[c % ps.length];
            c++;
            int len = n;
            cases.add(new ParityCase("dropoutMask n=" + n + " p=" + p + " seed=" + seed, new float[][] {new float[n]},
                    (b, s) -> b.dropoutMask(s[0], p, seed, len), 0, 0));
        }
        return cases;
    }

    static List<ParityCase> sgdStep() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1100;
        for (int n : sizes()) {
            int len = n;
            float[][] buffers = {random(seed, n), random(seed + 1, n), random(seed + 2, n)};
            cases.add(new ParityCase("sgdStep momentum 0.9, weight decay 5e-4, 3 steps, n=" + n, buffers, (b, s) -> {
                for (int step = 0; step < 3; step++) b.sgdStep(s[0], s[1], s[2], 0.1f, 0.9f, 5e-4f, len);
            }, 1e-6, 1e-5));
            cases.add(new ParityCase("sgdStep plain, 3 steps, n=" + n, new float[][] {buffers[0], buffers[1]}, (b, s) -> {
                for (int step = 0; step < 3; step++) b.sgdStep(s[0], s[1], null, 0.1f, 0f, 0f, len);
            }, 1e-6, 1e-5));
            seed += 3;
        }
        return cases;
    }

    static List<ParityCase> adamStep() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1200;
        for (int n : sizes()) {
            for (int first : new int[] {1, 10}) {        // the bias corrections differ
                int len = n;
                float[][] buffers = {random(seed, n), random(seed + 1, n), random(seed + 2, n, -0.1f, 0.1f),
                    random(seed + 3, n, 0f, 0.01f)};
                cases.add(new ParityCase("adamStep steps " + first + " to " + (first + 2) + ", n=" + n, buffers, (b, s) -> {
                    for (int step = first; step < first + 3; step++) {
                        b.adamStep(s[0], s[1], s[2], s[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, step, len);
                    }
                }, 1e-6, 1e-5));
                seed += 4;
            }
        }
        return cases;
    }
}
