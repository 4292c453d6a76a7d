package org.deephash4j.backend.cpu;

import java.util.Random;

/**
 * Shared helpers of the reference-vs-vector parity suites: seeded inputs, the awkward sizes of
 * STYLE.md §6 (lanes read from the species) and one float comparison that names the kernel,
 * the case, the first bad index and the largest difference.
 */
final class KernelParity {
    /** Elements of one vector of the species the vector kernels use. */
    static final int LANES = VectorWidth.FLOAT.length();

    private KernelParity() {
    }

    /** 1, 2, 3, 7, 13, 31, 61, 127, lanes - 1, lanes, lanes + 1, a prime above 500 (509). */
    static int[] awkwardSizes() {
        return java.util.stream.IntStream.of(1, 2, 3, 7, 13, 31, 61, 127, LANES - 1, LANES, LANES + 1, 509)
                .filter(s -> s >= 1).distinct().toArray();
    }

    /** n floats uniform in [lo, hi) from the generator. */
    static float[] uniform(Random random, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * random.nextFloat();
        }
        return x;
    }

    /**
     * Fails unless |actual[i] - expected[i]| &lt;= atol + rtol · |expected[i]| for every i; the
     * message names the kernel and case, the first bad index, both values and the largest difference.
     */
    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + " vs reference " + expected.length);
        }
        int firstBad = -1;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            boolean bad = !(diff <= atol + rtol * Math.abs(expected[i]))
                    && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))
                    && !(expected[i] == actual[i]);
            if (bad && firstBad < 0) {
                firstBad = i;
            }
            if (!Double.isNaN(diff)) {
                maxDiff = Math.max(maxDiff, diff);
            }
        }
        if (firstBad >= 0) {
            throw new AssertionError(what + ": [" + firstBad + "] = " + actual[firstBad] + " vs reference "
                    + expected[firstBad] + " (max |diff| " + String.format("%.3g", maxDiff) + ", atol " + atol
                    + ", rtol " + rtol + ")");
        }
    }
}
