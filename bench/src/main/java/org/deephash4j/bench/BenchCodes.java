package org.deephash4j.bench;

import java.util.SplittableRandom;
import org.deephash4j.search.BinaryCodes;

/**
 * The two kinds of code database the search benchmarks use, from a fixed seed: uniformly random codes, and
 * clustered codes (1,000 random centres; each code is a centre drawn at random with every bit flipped
 * independently with probability 0.05; queries drawn the same way), which is what trained hash codes look like.
 * The same definitions as shared/peers/faiss_mih.py.
 */
final class BenchCodes {
    static final int CENTRES = 1000;
    static final double FLIP = 0.05;

    private BenchCodes() {
    }

    /** n uniformly random codes. */
    static BinaryCodes random(int n, int bits, SplittableRandom rnd) {
        int w = BinaryCodes.wordsFor(bits);
        long[] words = new long[n * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) words[i * w + j] = rnd.nextLong();
            words[i * w + w - 1] &= lastWordMask(bits);
        }
        return BinaryCodes.fromWords(bits, words);
    }

    /** The centres of a clustered database. */
    static long[] centres(int bits, SplittableRandom rnd) {
        return random(CENTRES, bits, rnd).words();
    }

    /** n codes around the given centres (see class javadoc). */
    static BinaryCodes clustered(int n, int bits, long[] centres, SplittableRandom rnd) {
        int w = BinaryCodes.wordsFor(bits);
        long[] words = new long[n * w];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(CENTRES);
            System.arraycopy(centres, c * w, words, i * w, w);
            for (int j = 0; j < bits; j++) {
                if (rnd.nextDouble() < FLIP) words[i * w + (j >>> 6)] ^= 1L << (63 - (j & 63));
            }
        }
        return BinaryCodes.fromWords(bits, words);
    }

    private static long lastWordMask(int bits) {
        int used = bits & 63;
        return used == 0 ? -1L : -1L << (64 - used);
    }
}
