package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.deephash4j.backend.Storage;
import org.junit.jupiter.api.Test;

/**
 * ClGemm (gemm.cl) against an independent double-precision triple loop and against the CPU
 * reference GEMM, on sizes that are not multiples of the tile (1, tile ± 1, primes, one large
 * case), all four transpose combinations, offsets, alpha and beta (beta = 0 ignores NaN in C).
 * Tolerance: atol = 1e-5 + 2e-6 · K (the float32 rounding of K products of values in [-1, 1]),
 * rtol = 1e-4.
 */
class ClGemmTest {
    private static final int T = ClGemm.TILE;
    private static final int[][] SIZES = {
        {1, 1, 1}, {2, 3, 7}, {13, 31, 61}, {T - 1, T + 1, T}, {T + 1, T, T - 1}, {127, 1, 3}, {1, 509, 31},
        {61, 127, 2 * T + 1}, {3, 2, 0},
    };
    private static final int[] LARGE = {203, 130, 517};   // uses gemm_blocked: m · n >= ClGemm.BLOCKED_MIN

    @Test
    void agreesWithDoubleOracle() {
        OpenClBackend cl = OpenClTestSupport.backend();
        long seed = 1;
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                oracleCase(cl, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1.5f, t == 3 ? 0.5f : 0f, seed++);
            }
        }
        oracleCase(cl, LARGE[0], LARGE[1], LARGE[2], false, false, 1f, 0f, seed++);
        oracleCase(cl, LARGE[0], LARGE[1], LARGE[2], true, true, 1f, 1f, seed++);
        oracleCase(cl, LARGE[0], LARGE[1], LARGE[2], true, false, 1f, 0f, seed++);
        oracleCase(cl, LARGE[0], LARGE[1], LARGE[2], false, true, 0.5f, 2f, seed++);
        oracleCase(cl, 129, 127, 1, false, false, 1f, 0f, seed++);   // blocked kernel, K = 1
        oracleCase(cl, 1, 16_411, 3, false, true, 1f, 0f, seed);      // blocked kernel, one row
    }

    private static void oracleCase(OpenClBackend cl, int m, int n, int k, boolean transA, boolean transB,
                                   float alpha, float beta, long seed) {
        int aOff = 3;
        int bOff = 5;
        int cOff = 2;
        float[] a = Parity.random(seed, aOff + m * k);
        float[] b = Parity.random(seed + 1000, bOff + k * n);
        float[] c = Parity.random(seed + 2000, cOff + m * n);
        if (beta == 0) {
            for (int i = cOff; i < c.length; i++) c[i] = Float.NaN;   // beta = 0 must ignore C
        }
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    double bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    acc += av * bv;
                }
                double old = beta == 0 ? 0 : beta * (double) c[cOff + i * n + j];
                expected[cOff + i * n + j] = (float) (alpha * acc + old);
            }
        }
        float[][] out = Parity.run(cl, new float[][] {a, b, c}, (be, st) ->
                be.gemm(transA, transB, m, n, k, alpha, st[0], aOff, st[1], bOff, beta, st[2], cOff));
        String what = "ClGemm m=" + m + " n=" + n + " k=" + k + (transA ? " transA" : "") + (transB ? " transB" : "")
                + " alpha=" + alpha + " beta=" + beta + " seed=" + seed;
        Parity.assertClose(what, expected, out[2], 1e-5 + 2e-6 * k, 1e-4);
    }

    @Test
    void agreesWithReferenceGemm() {
        long seed = 100;
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                referenceCase(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, t == 2 ? 0.5f : 0f, seed++);
            }
        }
        referenceCase(LARGE[0], LARGE[1], LARGE[2], false, true, 0f, seed);
    }

    private static void referenceCase(int m, int n, int k, boolean transA, boolean transB, float beta, long seed) {
        float[] a = Parity.random(seed, 1 + m * k);
        float[] b = Parity.random(seed + 1000, 2 + k * n);
        float[] c = Parity.random(seed + 2000, m * n);
        Parity.check("ClGemm m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " seed=" + seed,
                new float[][] {a, b, c},
                (be, st) -> be.gemm(transA, transB, m, n, k, 0.75f, st[0], 1, st[1], 2, beta, st[2], 0),
                1e-5 + 2e-6 * k, 1e-4);
    }

    @Test
    void leavesElementsOutsideCUntouched() {
        OpenClBackend cl = OpenClTestSupport.backend();
        float[] c = new float[2 + 17 * 15 + 3];
        java.util.Arrays.fill(c, 7f);
        float[][] out = Parity.run(cl, new float[][] {Parity.random(9, 17 * 16), Parity.random(10, 16 * 15), c},
                (be, st) -> be.gemm(false, false, 17, 15, 16, 1f, st[0], 0, st[1], 0, 0f, st[2], 2));
        for (int i : new int[] {0, 1, c.length - 3, c.length - 2, c.length - 1}) {
            assertFalse(out[2][i] != 7f, "ClGemm wrote outside C at " + i + ": " + out[2][i]);
        }
        try (Storage unused = cl.allocate(1)) {
            assertFalse(unused.isClosed());
        }
    }
}
