package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * C[M×N] = alpha · op(A) · op(B) + beta · C, row-major, float32: the same contract as
 * {@code ReferenceGemm} (see {@code Backend.gemm}), computed the way BLIS and GotoBLAS do.
 *
 * <p>Loops, outermost first:
 * <ol>
 *   <li>K is cut into slabs of {@link #KC}; for each slab the K×N slice of op(B) is packed once
 *       into column panels of {@link #NR} floats ({@code packedB[panel][p][0..NR)}, zero-padded
 *       past N), so the micro-kernel reads it with unit stride whatever the transpose.</li>
 *   <li>Rows are cut into blocks of {@link #MC} (an L2-sized block of A, packed per task into
 *       row panels of {@link #MR}, zero-padded past M); a task is one row block times a group of
 *       column panels. Tasks go to {@link CpuThreads}; each element of C has one writer.</li>
 *   <li>The micro-kernel keeps an MR × NR block of C in registers (6 rows × 2 vectors = 12
 *       accumulators, one broadcast of A and two loads of B per step) and runs KC fused
 *       multiply-adds per accumulator; the B panel stays in L1 while the row panels of A stream
 *       from L2.</li>
 * </ol>
 * Edges need no separate code: packing pads with zeros and the store masks the columns past N
 * and skips the rows past M. Each element of C is summed over k in the same order (slab by
 * slab, p ascending) whatever the thread count, so results are bit-for-bit reproducible.
 * Slab 0 applies beta (beta = 0 overwrites C, ignoring NaN there); later slabs accumulate.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Rows of the register block: 6 rows × 2 vectors = 12 accumulators + 3 live registers, fits AVX2's 16. */
    static final int MR = 6;
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /** Depth of one slab: a KC × NR panel of B (32 KiB at 512 bits) stays in L1. */
    static final int KC = 256;
    /** Rows of one packed block of A: MC × KC floats (96 KiB) stay in L2. */
    static final int MC = 16 * MR;

    private static final ThreadLocal<float[]> PACKED_A = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private static final ThreadLocal<float[][]> PACKED_B = ThreadLocal.withInitial(() -> new float[1][0]);

    private VectorGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, float[] b, int bOffset,
                     float beta, float[] c, int cOffset) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            scale(c, cOffset, m * n, beta);
            return;
        }
        int panels = (n + NR - 1) / NR;
        float[][] holder = PACKED_B.get();
        int kcMax = Math.min(KC, k);
        if (holder[0].length < panels * NR * kcMax) {
            holder[0] = new float[panels * NR * kcMax];
        }
        float[] packedB = holder[0];
        int rowBlocks = (m + MC - 1) / MC;
        // Enough tasks for every thread; column groups only when row blocks are too few.
        int threads = CpuThreads.insideTask() ? 1 : CpuThreads.threads();
        int columnGroups = Math.min(panels, Math.max(1, (2 * threads + rowBlocks - 1) / rowBlocks));
        int panelsPerGroup = (panels + columnGroups - 1) / columnGroups;
        int groups = (panels + panelsPerGroup - 1) / panelsPerGroup;
        for (int pc = 0; pc < k; pc += KC) {
            final int p0 = pc;
            final int kc = Math.min(KC, k - pc);
            final boolean first = pc == 0;
            CpuThreads.forEach(groups, gi -> {
                int from = gi * panelsPerGroup;
                int to = Math.min(panels, from + panelsPerGroup);
                for (int panel = from; panel < to; panel++) {
                    packB(transB, n, k, b, bOffset, p0, kc, panel, packedB);
                }
            });
            CpuThreads.forEach(rowBlocks * groups, task -> {
                int ic = (task / groups) * MC;
                int gi = task % groups;
                int mc = Math.min(MC, m - ic);
                float[] packedA = PACKED_A.get();
                float[] tile = TILE.get();
                packA(transA, m, k, a, aOffset, ic, mc, p0, kc, packedA);
                int from = gi * panelsPerGroup;
                int to = Math.min(panels, from + panelsPerGroup);
                for (int panel = from; panel < to; panel++) {
                    int j0 = panel * NR;
                    int nr = Math.min(NR, n - j0);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        microKernel(tile, packedA, ir * kc, packedB, panel * NR * kc, kc,
                                c, cOffset + (ic + ir) * n + j0, n, mr, nr, alpha, beta, first);
                    }
                }
            });
        }
    }

    /** packedB[panel·NR·kc + p·NR + j] = op(B)[p0 + p, panel·NR + j], zero past N. */
    private static void packB(boolean transB, int n, int k, float[] b, int bOffset, int p0, int kc,
                              int panel, float[] packedB) {
        int j0 = panel * NR;
        int nr = Math.min(NR, n - j0);
        int dst = panel * NR * kc;
        if (!transB) {
            // B is K×N: row p0 + p holds the panel's NR columns contiguously.
            for (int p = 0; p < kc; p++, dst += NR) {
                int src = bOffset + (p0 + p) * n + j0;
                if (nr == NR) {
                    FloatVector.fromArray(F, b, src).intoArray(packedB, dst);
                    FloatVector.fromArray(F, b, src + L).intoArray(packedB, dst + L);
                } else {
                    for (int j = 0; j < nr; j++) {
                        packedB[dst + j] = b[src + j];
                    }
                    for (int j = nr; j < NR; j++) {
                        packedB[dst + j] = 0f;
                    }
                }
            }
        } else {
            // B is N×K: column j of op(B) is row j of B; read each row once along p.
            for (int j = 0; j < NR; j++) {
                if (j < nr) {
                    int src = bOffset + (j0 + j) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        packedB[dst + p * NR + j] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        packedB[dst + p * NR + j] = 0f;
                    }
                }
            }
        }
    }

    /** packedA[(r / MR)·MR·kc + p·MR + r % MR] = op(A)[ic + r, p0 + p], zero past M. */
    private static void packA(boolean transA, int m, int k, float[] a, int aOffset, int ic, int mc,
                              int p0, int kc, float[] packedA) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (!transA) {
                // A is M×K: row i holds its k values contiguously.
                for (int r = 0; r < MR; r++) {
                    if (r < mr) {
                        int src = aOffset + (ic + ir + r) * k + p0;
                        for (int p = 0; p < kc; p++) {
                            packedA[dst + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            packedA[dst + p * MR + r] = 0f;
                        }
                    }
                }
            } else {
                // A is K×M: row p holds the MR values of this panel contiguously.
                for (int p = 0; p < kc; p++) {
                    int src = aOffset + (p0 + p) * m + ic + ir;
                    int d = dst + p * MR;
                    for (int r = 0; r < mr; r++) {
                        packedA[d + r] = a[src + r];
                    }
                    for (int r = mr; r < MR; r++) {
                        packedA[d + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * C[0..mr, 0..nr) (row stride ldc, starting at c[cOffset]) = alpha · Σ_p A[r, p] · B[p, j]
     * + (first ? beta · C : C), over one packed MR-row panel of A and one packed NR-column panel of B.
     */
    private static void microKernel(float[] tile, float[] pa, int aOff, float[] pb, int bOff, int kc,
                                    float[] c, int cOffset, int ldc, int mr, int nr,
                                    float alpha, float beta, boolean first) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        // Spill the block to a small L1 tile, then update C from it: passing vectors to a
        // method that is not inlined would box them.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        update(tile, c, cOffset, ldc, mr, nr, alpha, beta, first);
    }

    /** C[r, j] = alpha · tile[r, j] + (first ? beta · C[r, j] : C[r, j]) for r &lt; mr, j &lt; nr. */
    private static void update(float[] tile, float[] c, int cOffset, int ldc, int mr, int nr,
                               float alpha, float beta, boolean first) {
        int full = F.loopBound(nr);
        VectorMask<Float> tail = F.indexInRange(full, nr);
        for (int r = 0; r < mr; r++) {
            int at = cOffset + r * ldc;
            int t = r * NR;
            for (int j = 0; j < full; j += L) {
                FloatVector acc = FloatVector.fromArray(F, tile, t + j);
                FloatVector out;
                if (first && beta == 0f) {
                    out = acc.mul(alpha);
                } else if (first) {
                    out = acc.mul(alpha).add(FloatVector.fromArray(F, c, at + j).mul(beta));
                } else {
                    out = acc.mul(alpha).add(FloatVector.fromArray(F, c, at + j));
                }
                out.intoArray(c, at + j);
            }
            if (full < nr) {
                FloatVector acc = FloatVector.fromArray(F, tile, t + full);
                FloatVector out;
                if (first && beta == 0f) {
                    out = acc.mul(alpha);
                } else if (first) {
                    out = acc.mul(alpha).add(FloatVector.fromArray(F, c, at + full, tail).mul(beta));
                } else {
                    out = acc.mul(alpha).add(FloatVector.fromArray(F, c, at + full, tail));
                }
                out.intoArray(c, at + full, tail);
            }
        }
    }

    /** C = beta · C over n elements (beta = 0 writes zeros, ignoring NaN in C). */
    private static void scale(float[] c, int cOffset, int n, float beta) {
        if (beta == 0f) {
            java.util.Arrays.fill(c, cOffset, cOffset + n, 0f);
        } else if (beta != 1f) {
            for (int i = 0; i < n; i++) {
                c[cOffset + i] *= beta;
            }
        }
    }
}
