package org.deephash4j.nn;

/** Derives independent seeds from one seed (SplitMix64's finaliser, Steele et al. 2014). */
final class Seeds {
    private Seeds() {
    }

    /** A seed for stream {@code index} of {@code seed}: a bijective mix, so different indices never collide. */
    static long derive(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
