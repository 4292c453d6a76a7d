package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * reduce.cl against the CPU reference sum: whole sums (1, n, 1) short and long enough to take
 * the chunked path (n > 2 · CHUNK, not a multiple of CHUNK), sums along the first, middle and
 * last axis, size 1. Tolerance atol = 1e-6 · mid (float32 summation order differs), rtol 1e-5;
 * and the same call twice gives the same bits.
 */
class ClReduceTest {

    @Test
    void sumAgreesWithReference() {
        int[][] shapes = {
            {1, 1, 1}, {1, 7, 1}, {1, 1031, 1}, {1, 2 * ClReduce.CHUNK + 1, 1}, {1, 100_003, 1},
            {7, 13, 1}, {1, 13, 61}, {3, 5, 7}, {61, 2, 3}, {2, 5000, 3}, {300, 1, 1},
        };
        long seed = 1;
        for (int[] sh : shapes) {
            int outer = sh[0], mid = sh[1], inner = sh[2];
            float[] in = Parity.random(seed++, outer * mid * inner);
            Parity.check("reduce.cl sum (" + outer + ", " + mid + ", " + inner + ")",
                    new float[][] {new float[outer * inner], in},
                    (b, s) -> b.sum(s[0], s[1], outer, mid, inner), 1e-6 * mid, 1e-5);
        }
    }

    @Test
    void sumIsDeterministic() {
        OpenClBackend cl = OpenClTestSupport.backend();
        int n = 50_001;
        float[][] buffers = {new float[1], Parity.random(77, n)};
        float[] first = Parity.run(cl, buffers, (b, s) -> b.sum(s[0], s[1], 1, n, 1))[0];
        float[] second = Parity.run(cl, buffers, (b, s) -> b.sum(s[0], s[1], 1, n, 1))[0];
        assertArrayEquals(first, second, "reduce.cl: same input, different bits");
    }
}
