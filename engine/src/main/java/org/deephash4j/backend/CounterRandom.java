package org.deephash4j.backend;

/**
 * A counter-based random generator: the value for index i is a pure function of (seed, i),
 * so it needs no state, runs in parallel in any order and gives the same numbers on every
 * backend (the OpenCL kernels use the same mix). SplitMix64's finaliser (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) on seed + i · golden gamma.
 */
public final class CounterRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private CounterRandom() {
    }

    /** 64 well-mixed bits for (seed, index). */
    public static long bits(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A float uniform in [0, 1) from the top 24 bits, exact in float32. */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 40) * 0x1.0p-24f;
    }
}
