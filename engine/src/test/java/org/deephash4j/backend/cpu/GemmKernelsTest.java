package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** VectorGemm (through VectorKernels) against ReferenceKernels.gemm on awkward sizes, all transposes. */
class GemmKernelsTest {
    private final CpuKernels reference = new ReferenceKernels();
    private final CpuKernels vector = new VectorKernels();

    /** Inputs in [-1, 1): a sum of k products drifts by about sqrt(k) ulps of its terms; FMA changes rounding. */
    private static double atol(int k) {
        return 2e-6 * Math.max(1, k);
    }

    private static final double RTOL = 1e-5;

    @Test
    void agreesOnAwkwardSizesAndAllTransposes() {
        int[] sizes = KernelParity.awkwardSizes();
        int mr = VectorGemm.MR, nr = VectorGemm.NR, kc = VectorGemm.KC, mc = VectorGemm.MC;
        List<int[]> shapes = new ArrayList<>();
        // Each awkward size once in each position, with small partners, keeps the suite fast.
        for (int s : sizes) {
            shapes.add(new int[] {s, 13, 7});
            shapes.add(new int[] {5, s, 3});
            shapes.add(new int[] {3, 7, s});
        }
        // Register-block, panel, slab and row-block edges, plus one large case.
        shapes.add(new int[] {mr - 1, nr + 1, kc + 1});
        shapes.add(new int[] {mr + 1, nr - 1, kc - 1});
        shapes.add(new int[] {mc + 1, 2 * nr + 3, 2 * kc + 5});
        shapes.add(new int[] {mc - 1, nr, kc});
        shapes.add(new int[] {mc, 2 * nr + 3, 3 * kc + 7});   // one row block, several slabs: slabs inside each task
        shapes.add(new int[] {257, 263, 271});
        Random random = new Random(20261125L);
        for (int[] shape : shapes) {
            for (int t = 0; t < 4; t++) {
                check(random, shape[0], shape[1], shape[2], (t & 1) != 0, (t & 2) != 0, 1f, 0f, 0);
            }
        }
    }

    @Test
    void agreesWithAlphaBetaAndOffsets() {
        Random random = new Random(7L);
        check(random, 31, 61, 127, false, false, 0.5f, 1f, 3);
        check(random, 13, 509, 29, true, false, -2f, 0.25f, 17);
        check(random, 61, 7, 300, false, true, 1.5f, -1f, 1);
        check(random, 7, KernelParity.LANES + 1, 1, true, true, 1f, 2f, 5);
    }

    @Test
    void prepackedAAgrees() {
        // packAll + gemmPacked (a convolution's weights packed once per batch): several slabs
        // and row blocks, both layouts of A, B read in place (small M) and packed (large M), and
        // the packed A past the start of its array (Winograd packs 36 matrices into one).
        Random random = new Random(13L);
        int[][] shapes = {{7, 13, 31}, {VectorGemm.MC + 5, 2 * VectorGemm.NR + 1, 2 * VectorGemm.KC + 3},
                {3 * VectorGemm.MC + 1, 61, VectorGemm.KC - 1}, {1, 1, 1},
                {VectorGemm.MR + 1, 2 * VectorGemm.NR + 3, 2 * VectorGemm.KC + 9}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    float[] a = KernelParity.uniform(random, m * k, -1, 1);
                    float[] b = KernelParity.uniform(random, k * n, -1, 1);
                    float[] expected = KernelParity.uniform(random, m * n, -1, 1);
                    float[] actual = expected.clone();
                    reference.gemm(transA, transB, m, n, k, 1f, a, 0, b, 0, 0.5f, expected, 0);
                    int at = 1 + random.nextInt(40);
                    float[] packed = KernelParity.uniform(random, at + VectorGemm.packedSize(m, k), -9, 9);
                    VectorGemm.packAll(transA, m, k, a, 0, packed, at);
                    VectorGemm.gemmPacked(transB, m, n, k, 1f, packed, at, b, 0, 0.5f, actual, 0);
                    KernelParity.assertClose("VectorGemm.gemmPacked m=" + m + " n=" + n + " k=" + k
                            + (transA ? " transA" : "") + (transB ? " transB" : ""), expected, actual, atol(k), RTOL);
                }
            }
        }
    }

    @Test
    void betaZeroIgnoresNanInC() {
        float[] a = {1, 2, 3, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        vector.gemm(false, false, 2, 2, 2, 1f, a, 0, b, 0, 0f, c, 0);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
    }

    @Test
    void sameBitsOnEveryRun() {
        Random random = new Random(3L);
        int m = 200, n = 190, k = 600;
        float[] a = KernelParity.uniform(random, m * k, -1, 1);
        float[] b = KernelParity.uniform(random, k * n, -1, 1);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        vector.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, c1, 0);
        vector.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, c2, 0);
        assertArrayEquals(c1, c2);
    }

    /**
     * A row of C has the same bits whether its rows of A sit in a full register block or in the last,
     * partial panel (taken four rows at a time): M from 1 to 2·MR against M = 2·MR, one slab deep and
     * several.
     */
    @Test
    void aRowHasTheSameBitsInAPartialPanel() {
        Random random = new Random(12L);
        int mr = VectorGemm.MR, n = 2 * VectorGemm.NR + 5;
        for (int k : new int[] {37, VectorGemm.KC + 5}) {
            int rows = 2 * mr;
            float[] a = KernelParity.uniform(random, rows * k, -1, 1);
            float[] b = KernelParity.uniform(random, k * n, -1, 1);
            float[] all = new float[rows * n];
            vector.gemm(false, false, rows, n, k, 1f, a, 0, b, 0, 0f, all, 0);
            for (int m = 1; m < rows; m++) {
                float[] some = new float[m * n];
                vector.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, some, 0);
                assertArrayEquals(java.util.Arrays.copyOf(all, m * n), some, "m=" + m + " k=" + k);
            }
        }
    }

    @Test
    void plantedTailBugFailsTheCheck() {
        // The output of a GEMM that skips the last column (a forgotten scalar tail) must fail the check.
        Random random = new Random(11L);
        int m = 7, n = KernelParity.LANES + 1, k = 13;
        float[] a = KernelParity.uniform(random, m * k, -1, 1);
        float[] b = KernelParity.uniform(random, k * n, -1, 1);
        float[] expected = new float[m * n];
        float[] broken = new float[m * n];
        reference.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, expected, 0);
        for (int i = 0; i < m; i++) {
            System.arraycopy(expected, i * n, broken, i * n, n - 1);
        }
        AssertionError error = assertThrows(AssertionError.class,
                () -> KernelParity.assertClose("planted", expected, broken, atol(k), RTOL));
        assertTrue(error.getMessage().contains("[" + (n - 1) + "]"), error.getMessage());
    }

    private void check(Random random, int m, int n, int k, boolean transA, boolean transB,
                       float alpha, float beta, int offset) {
        float[] a = KernelParity.uniform(random, offset + m * k, -1, 1);
        float[] b = KernelParity.uniform(random, offset + k * n, -1, 1);
        float[] c0 = KernelParity.uniform(random, offset + m * n, -1, 1);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        reference.gemm(transA, transB, m, n, k, alpha, a, offset, b, offset, beta, expected, offset);
        vector.gemm(transA, transB, m, n, k, alpha, a, offset, b, offset, beta, actual, offset);
        KernelParity.assertClose("VectorGemm m=" + m + " n=" + n + " k=" + k + (transA ? " transA" : "")
                + (transB ? " transB" : "") + " alpha=" + alpha + " beta=" + beta + " offset=" + offset,
                expected, actual, atol(k) * Math.max(1, Math.abs(alpha)), RTOL);
    }
}
