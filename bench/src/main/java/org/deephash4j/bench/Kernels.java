package org.deephash4j.bench;

import java.util.Random;
import org.deephash4j.backend.cpu.CpuKernels;
import org.deephash4j.backend.cpu.ReferenceKernels;
import org.deephash4j.backend.cpu.VectorKernels;

/** Shared set-up of the kernel benchmarks: a kernel set by name, seeded inputs, a check before timing. */
final class Kernels {
    private Kernels() {
    }

    /** {@code reference} or {@code vector}. */
    static CpuKernels named(String name) {
        return switch (name) {
            case "reference" -> new ReferenceKernels();
            case "vector" -> new VectorKernels();
            default -> throw new IllegalArgumentException("kernels: got '" + name + "', expected reference or vector");
        };
    }

    static float[] uniform(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * random.nextFloat() - 1;
        }
        return x;
    }

    /**
     * Checks the first rows of {@code cpu}'s product against the reference kernel on the same
     * rows, so a broken fast path cannot post a time. Rows only: the reference is slow.
     */
    static void checkGemmRows(CpuKernels cpu, int m, int n, int k, float[] a, float[] b) {
        float[] full = new float[m * n];
        cpu.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, full, 0);
        int rows = Math.min(m, 3);
        float[] expected = new float[rows * n];
        new ReferenceKernels().gemm(false, false, rows, n, k, 1f, a, 0, b, 0, 0f, expected, 0);
        for (int i = 0; i < rows * n; i++) {
            double tolerance = 2e-6 * k + 1e-5 * Math.abs(expected[i]);
            if (!(Math.abs(full[i] - expected[i]) <= tolerance)) {
                throw new IllegalStateException(cpu.name() + " gemm " + m + "x" + n + "x" + k + ": c[" + i / n + ", "
                        + i % n + "] = " + full[i] + " vs reference " + expected[i]);
            }
        }
    }

    /** Fails unless actual is within atol + rtol·|expected| of expected everywhere. */
    static void checkClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
                throw new IllegalStateException(what + ": [" + i + "] = " + actual[i] + " vs reference " + expected[i]);
            }
        }
    }
}
