package org.deephash4j.doctor;

import java.util.Locale;

/**
 * How well one buffer agrees with its reference: the first element outside
 * {@code atol + rtol · |expected|} (-1 when none), the largest absolute difference, and the
 * largest share of its tolerance any element used (0.5: half the allowed difference; above 1
 * fails). NaN must meet NaN and an infinity the same infinity, exactly.
 */
record Agreement(int firstBad, double maxDiff, double worstShare, float expectedAtBad, float actualAtBad) {

    static Agreement of(float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("compare: " + actual.length + " values vs reference " + expected.length);
        }
        int first = -1;
        double maxDiff = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok;
            double share;
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                ok = Float.compare(e, a) == 0;
                share = ok ? 0 : Double.POSITIVE_INFINITY;
            } else {
                double diff = Math.abs((double) a - e);
                double allowed = atol + rtol * Math.abs(e);
                maxDiff = Math.max(maxDiff, diff);
                ok = diff <= allowed;
                share = diff == 0 ? 0 : allowed == 0 ? Double.POSITIVE_INFINITY : diff / allowed;
            }
            worst = Math.max(worst, share);
            if (!ok && first < 0) first = i;
        }
        return first < 0 ? new Agreement(-1, maxDiff, worst, 0f, 0f)
                : new Agreement(first, maxDiff, worst, expected[first], actual[first]);
    }

    boolean agrees() {
        return firstBad < 0;
    }

    /** {@code [17] = 0.5 vs reference 0.25 (max |diff| 0.25, atol 1e-06, rtol 1e-05)}. */
    String describe(double atol, double rtol) {
        return String.format(Locale.ROOT, "[%d] = %s vs reference %s (max |diff| %.3g, atol %.3g, rtol %.3g)",
                firstBad, actualAtBad, expectedAtBad, maxDiff, atol, rtol);
    }
}
