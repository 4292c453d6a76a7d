package org.deephash4j.testing;

import java.util.SplittableRandom;

/** Seeded random arrays for kernel tests (same seed, same arrays on every run). */
public final class TestArrays {
    private TestArrays() {
    }

    /** n floats uniform in [lo, hi) from {@code seed}. */
    public static float[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) random.nextDouble(lo, hi);
        return out;
    }

    /**
     * n distinct floats in (-1, 1), spaced at least {@code 2 / (n + 1)} apart, in a seeded random
     * order: inputs for max-pooling checks, which need windows without ties.
     */
    public static float[] distinct(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (2.0 * (order[i] + 1) / (n + 1) - 1.0);
        return out;
    }
}
