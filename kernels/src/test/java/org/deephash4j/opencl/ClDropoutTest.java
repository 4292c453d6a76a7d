package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deephash4j.backend.CounterRandom;
import org.junit.jupiter.api.Test;

/**
 * dropout.cl reproduces CounterRandom bit for bit: every mask element equals the one the
 * formula gives in Java (exact float equality), for several seeds (negative and large ones
 * included, to exercise the 64-bit wrap-around), sizes and probabilities.
 */
class ClDropoutTest {

    @Test
    void maskIsCounterRandomBitForBit() {
        OpenClBackend cl = OpenClTestSupport.backend();
        long[] seeds = {0L, 42L, -1L, Long.MIN_VALUE + 7, 0x9E3779B97F4A7C15L};
        int[] sizes = {1, 7, 61, 1031, 100_003};
        float[] ps = {0f, 0.1f, 0.5f, 0.9f};
        int c = 0;
        for (long seed : seeds) {
            int n = sizes[c % sizes.length];
            float p = ps[c % ps.length];
            c++;
            float[] mask = Parity.run(cl, new float[][] {new float[n]}, (be, st) -> be.dropoutMask(st[0], p, seed, n))[0];
            float scale = 1f / (1f - p);
            for (int i = 0; i < n; i++) {
                float expected = CounterRandom.uniform(seed, i) < p ? 0f : scale;
                if (mask[i] != expected) {
                    assertEquals(expected, mask[i], "dropout.cl seed=" + seed + " p=" + p + " n=" + n + " at " + i);
                }
            }
        }
    }
}
