package org.deephash4j.testing;

import java.util.Arrays;

/**
 * Element-wise closeness checks for kernel tests: element i passes when
 * {@code |actual[i] - expected[i]| <= atol + rtol · |expected[i]|}; NaN passes only against
 * NaN, an infinity only against the same infinity.
 *
 * <p>On the first element that fails, the assertion error names the check, the index (as
 * {@code [i, j, ...]} when a shape is given), both values, and the largest difference over
 * the whole array with its index:
 * {@code ReferenceGemm m=7 n=5 k=3 C: x[3, 2] = 1.2503 vs expected 1.2498 (max |diff| 4.9e-4 at [3, 2]; atol 1e-5, rtol 1e-4)}.
 */
public final class ArrayAsserts {
    private ArrayAsserts() {
    }

    /** All of actual against expected (same length); optional {@code shape} formats indices. */
    public static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol, int... shape) {
        checkLengths(what, expected.length, actual.length);
        assertCloseRegion(what, expected, 0, actual, 0, actual.length, atol, rtol, shape);
    }

    /** One value: |actual − expected| <= atol + rtol·|expected| (NaN matches only NaN). */
    public static void assertClose(String what, double expected, double actual, double atol, double rtol) {
        if (!close(expected, actual, atol, rtol)) {
            throw new AssertionError(what + ": " + actual + " vs expected " + expected + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    /** All of actual against expected (same length); optional {@code shape} formats indices. */
    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol, int... shape) {
        assertClose(what, toDouble(expected), actual, atol, rtol, shape);
    }

    /**
     * actual[actualOffset + i] against expected[expectedOffset + i] for i in [0, length);
     * indices in messages count from the start of the region.
     */
    public static void assertCloseRegion(String what, double[] expected, int expectedOffset, float[] actual,
                                         int actualOffset, int length, double atol, double rtol, int... shape) {
        if (expectedOffset < 0 || actualOffset < 0 || length < 0
                || expectedOffset + length > expected.length || actualOffset + length > actual.length) {
            throw new AssertionError(what + ": region of " + length + " at expected+" + expectedOffset + " / actual+"
                    + actualOffset + " does not fit arrays of " + expected.length + " / " + actual.length);
        }
        int firstBad = -1;
        int maxIndex = -1;
        double maxDiff = 0.0;
        for (int i = 0; i < length; i++) {
            double e = expected[expectedOffset + i];
            double a = actual[actualOffset + i];
            double diff = difference(e, a);
            if (maxIndex < 0 || diff > maxDiff || (Double.isNaN(diff) && !Double.isNaN(maxDiff))) {
                maxDiff = diff;
                maxIndex = i;
            }
            if (firstBad < 0 && !close(e, a, atol, rtol)) firstBad = i;
        }
        if (firstBad >= 0) {
            throw new AssertionError(what + ": x" + index(firstBad, shape) + " = "
                    + actual[actualOffset + firstBad] + " vs expected " + expected[expectedOffset + firstBad]
                    + " (max |diff| " + maxDiff + " at " + index(maxIndex, shape) + "; atol " + atol + ", rtol " + rtol + ")");
        }
    }

    /** The float array as doubles (exact). */
    public static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }

    private static boolean close(double e, double a, double atol, double rtol) {
        if (Double.isNaN(e) || Double.isNaN(a)) return Double.isNaN(e) && Double.isNaN(a);
        if (Double.isInfinite(e) || Double.isInfinite(a)) return e == a;
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    /** |a - e|, 0 for matching NaNs or infinities, NaN for a mismatch among them. */
    private static double difference(double e, double a) {
        if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)) {
            boolean same = (Double.isNaN(e) && Double.isNaN(a)) || e == a;
            return same ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(a - e);
    }

    private static void checkLengths(String what, int expected, int actual) {
        if (expected != actual) {
            throw new AssertionError(what + ": " + actual + " elements vs " + expected + " expected");
        }
    }

    private static String index(int flat, int[] shape) {
        if (shape == null || shape.length == 0) return "[" + flat + "]";
        long size = 1;
        for (int d : shape) size *= d;
        if (size <= flat) return "[" + flat + "]";
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Arrays.toString(idx);
    }
}
