package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.deephash4j.testing.ArrayAsserts.assertCloseRegion;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceGemm against a double oracle that first materialises op(A) and op(B) by explicit
 * transposes, then multiplies plain row-major matrices. Tolerance: float32 accumulation over
 * K terms of size at most 1, so atol = 2e-6 · (K + 1), rtol = 1e-5.
 */
class ReferenceGemmTest {
    /** The gemm contract, so the same check can run a deliberately broken kernel. */
    interface Gemm {
        void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                  float[] b, int bOff, float beta, float[] c, int cOff);
    }

    private static final int[][] SHAPES = {  // m, n, k
        {1, 1, 1}, {2, 3, 1}, {1, 7, 5}, {7, 1, 13}, {7, 5, 13}, {13, 31, 7}, {3, 61, 2}, {17, 9, 29},
    };

    @Test
    void allTransposesOffsetsAlphaBeta() {
        long seed = 1;
        for (int[] s : SHAPES) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f, -0.5f}) {
                        check(ReferenceGemm::gemm, "ReferenceGemm", s[0], s[1], s[2], transA, transB, 1.5f, beta,
                                false, seed++);
                    }
                }
            }
        }
    }

    @Test
    void betaZeroOverwritesNaN() {
        long seed = 100;
        for (int[] s : SHAPES) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    check(ReferenceGemm::gemm, "ReferenceGemm", s[0], s[1], s[2], transA, transB, 0.75f, 0f, true, seed++);
                }
            }
        }
    }

    @Test
    void plantedBugsFailTheCheck() {
        Gemm skipsLastColumn = (ta, tb, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff) -> {
            float[] full = Arrays.copyOf(c, c.length);
            ReferenceGemm.gemm(ta, tb, m, n, k, alpha, a, aOff, b, bOff, beta, full, cOff);
            for (int i = 0; i < m; i++) {
                System.arraycopy(full, cOff + i * n, c, cOff + i * n, n - 1);
            }
        };
        Gemm skipsLastK = (ta, tb, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff) -> {
            // op(A) and op(B) with the last K index dropped: a kernel that forgets its scalar tail
            float[] a2 = new float[m * (k - 1)];
            float[] b2 = new float[(k - 1) * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k - 1; p++) a2[i * (k - 1) + p] = ta ? a[aOff + p * m + i] : a[aOff + i * k + p];
            }
            for (int p = 0; p < k - 1; p++) {
                for (int j = 0; j < n; j++) b2[p * n + j] = tb ? b[bOff + j * k + p] : b[bOff + p * n + j];
            }
            ReferenceGemm.gemm(false, false, m, n, k - 1, alpha, a2, 0, b2, 0, beta, c, cOff);
        };
        Gemm readsNaNWhenBetaIsZero = (ta, tb, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff) -> {
            float[] ab = new float[m * n];
            ReferenceGemm.gemm(ta, tb, m, n, k, 1f, a, aOff, b, bOff, 0f, ab, 0);
            for (int i = 0; i < m * n; i++) c[cOff + i] = alpha * ab[i] + beta * c[cOff + i];
        };
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(skipsLastColumn, "skipsLastColumn", 7, 5, 13, false, true, 1f, 0f, false, 7));
        assertTrue(e.getMessage().contains("skipsLastColumn m=7 n=5 k=13") && e.getMessage().contains("x[0, 4]")
                && e.getMessage().contains("max |diff|"), e.getMessage());
        assertThrows(AssertionError.class,
                () -> check(skipsLastK, "skipsLastK", 3, 4, 9, true, false, 1f, 1f, false, 8));
        assertThrows(AssertionError.class,
                () -> check(readsNaNWhenBetaIsZero, "readsNaN", 2, 3, 4, false, false, 1f, 0f, true, 9));
    }

    /**
     * Runs one gemm on seeded random A, B, C placed at odd offsets inside larger arrays, and
     * checks C against the oracle and everything outside C for being untouched.
     */
    static void check(Gemm kernel, String name, int m, int n, int k, boolean transA, boolean transB,
                      float alpha, float beta, boolean nanInC, long seed) {
        int aOff = 3, bOff = 5, cOff = 2;
        float[] a = TestArrays.uniform(seed, aOff + m * k + 4, -1, 1);
        float[] b = TestArrays.uniform(seed + 1000, bOff + k * n + 1, -1, 1);
        float[] c = TestArrays.uniform(seed + 2000, cOff + m * n + 3, -1, 1);
        if (nanInC) Arrays.fill(c, cOff, cOff + m * n, Float.NaN);
        float[] before = c.clone();

        double[][] opA = transA ? transpose(matrix(a, aOff, k, m)) : matrix(a, aOff, m, k);
        double[][] opB = transB ? transpose(matrix(b, bOff, n, k)) : matrix(b, bOff, k, n);
        double[] expected = new double[c.length];
        for (int i = 0; i < c.length; i++) expected[i] = c[i];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0.0;
                for (int p = 0; p < k; p++) dot += opA[i][p] * opB[p][j];
                double old = beta == 0f ? 0.0 : before[cOff + i * n + j];
                expected[cOff + i * n + j] = alpha * dot + beta * old;
            }
        }

        kernel.gemm(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
        String what = name + " m=" + m + " n=" + n + " k=" + k + (transA ? " transA" : "") + (transB ? " transB" : "")
                + " alpha=" + alpha + " beta=" + beta + (nanInC ? " (NaN in C)" : "") + " seed=" + seed;
        assertCloseRegion(what, expected, cOff, c, cOff, m * n,
                2e-6 * (k + 1), 1e-5, m, n);
        assertClose(what + " (C with its surroundings)", expected, c, 2e-6 * (k + 1), 1e-5);
    }

    /** The rows×cols row-major matrix stored at data[offset...] as a double matrix. */
    private static double[][] matrix(float[] data, int offset, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) out[r][col] = data[offset + r * cols + col];
        }
        return out;
    }

    private static double[][] transpose(double[][] x) {
        double[][] out = new double[x[0].length][x.length];
        for (int r = 0; r < x.length; r++) {
            for (int col = 0; col < x[0].length; col++) out[col][r] = x[r][col];
        }
        return out;
    }
}
