package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.backend.Storage;
import org.junit.jupiter.api.Test;

/**
 * CpuBackend.dropoutMask: values are exactly 0 or 1/(1-p), the fraction of zeros is within
 * 5 standard deviations of p (n = 20000: sd = sqrt(p(1-p)/n) ≈ 0.0032 at p = 0.3), the same
 * seed gives the same bits, another seed another mask, and element i depends only on (seed, i).
 */
class DropoutMaskTest {
    private final Backend cpu = new CpuBackend(new ReferenceKernels());

    private float[] mask(float p, long seed, int n) {
        try (Storage s = cpu.allocate(n)) {
            cpu.dropoutMask(s, p, seed, n);
            float[] out = new float[n];
            cpu.copyOut(out, 0, s, 0, n);
            return out;
        }
    }

    @Test
    void valuesAndFractionOfZeros() {
        int n = 20000;
        for (float p : new float[] {0.1f, 0.3f, 0.5f, 0.9f}) {
            float[] mask = mask(p, 42, n);
            float keep = 1f / (1f - p);
            int zeros = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(mask[i] == 0f || mask[i] == keep, "dropoutMask p=" + p + ": mask[" + i + "] = " + mask[i]);
                if (mask[i] == 0f) zeros++;
            }
            double fraction = (double) zeros / n;
            double sd = Math.sqrt(p * (1.0 - p) / n);
            assertEquals(p, fraction, 5 * sd, "dropoutMask p=" + p + " n=" + n + " seed=42: fraction of zeros");
        }
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        float[] a = mask(0.5f, 7, 1000);
        assertArrayEquals(a, mask(0.5f, 7, 1000));
        assertFalse(Arrays.equals(a, mask(0.5f, 8, 1000)), "seeds 7 and 8 gave the same mask");
        // element i is a pure function of (seed, i): a shorter mask is a prefix of a longer one
        assertArrayEquals(Arrays.copyOf(a, 13), mask(0.5f, 7, 13));
        for (int i = 0; i < 1000; i++) {
            assertEquals(CounterRandom.uniform(7, i) < 0.5f ? 0f : 2f, a[i], "mask[" + i + "]");
        }
    }

    @Test
    void edgeProbabilities() {
        float[] ones = new float[50];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, mask(0f, 3, 50), "p = 0 keeps everything at scale 1");
        for (float bad : new float[] {1f, -0.1f, Float.NaN, 1.5f}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mask(bad, 1, 4));
            assertTrue(e.getMessage().contains("dropoutMask: p = " + bad), e.getMessage());
        }
    }
}
