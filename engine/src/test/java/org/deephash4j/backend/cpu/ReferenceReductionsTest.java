package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceReductions.sum against a double sum of the same elements. The reference accumulates
 * in double and rounds once, so it must agree with the double oracle to one float rounding:
 * atol 1e-7, rtol 1e-7 (a float32 accumulator over 1000 terms would miss this).
 */
class ReferenceReductionsTest {
    private static final int[][] SHAPES = {  // outer, mid, inner
        {1, 1, 1}, {1, 1000, 1}, {3, 7, 5}, {2, 513, 3}, {5, 1, 4}, {1, 13, 61},
    };

    @Test
    void sumOverTheMiddleAxis() {
        long seed = 1000;
        for (int[] s : SHAPES) {
            int outer = s[0], mid = s[1], inner = s[2];
            float[] in = TestArrays.uniform(seed++, outer * mid * inner, -1, 1);
            double[] expected = new double[outer * inner];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double sum = 0.0;
                    for (int m = 0; m < mid; m++) sum += in[o * mid * inner + m * inner + i];
                    expected[o * inner + i] = sum;
                }
            }
            float[] out = new float[outer * inner];
            ReferenceReductions.sum(out, in, outer, mid, inner);
            assertClose("ReferenceReductions.sum [" + outer + ", " + mid + ", " + inner + "]", expected, out,
                    1e-7, 1e-7, outer, inner);
        }
    }

    @Test
    void sumIsDeterministicAndPrecise() {
        // 1 + 1e-8 · 10000 terms: float accumulation would lose every small term.
        float[] in = new float[10001];
        java.util.Arrays.fill(in, 1e-8f);
        in[0] = 1f;
        float[] out = new float[1];
        ReferenceReductions.sum(out, in, 1, in.length, 1);
        float[] again = new float[1];
        ReferenceReductions.sum(again, in, 1, in.length, 1);
        assertArrayEquals(out, again);
        assertClose("ReferenceReductions.sum 1 + 10000 · 1e-8", new double[] {1.0001}, out, 0, 1e-7);
    }
}
