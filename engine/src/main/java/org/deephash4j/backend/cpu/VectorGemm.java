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
 *   <li>Rows are cut into blocks of {@link #MC} (an L2-sized block of A); the slab of op(A) is
 *       packed once, in parallel with B, into row panels of {@link #MR} (zero-padded past M). A
 *       task is one row block times a group of column panels, several tasks per thread; tasks go
 *       to {@link CpuThreads}; each element of C has one writer.</li>
 *   <li>The micro-kernel keeps an MR × NR block of C in registers (MR rows × 2 vectors: 12 or 24
 *       accumulators, one broadcast of A per two FMAs, two loads of B per row step) and runs KC
 *       fused multiply-adds per accumulator while the row panels of A stream from L2.</li>
 * </ol>
 * Three shortcuts: with at most two row blocks (small M) a row-major B is read in place rather
 * than packed, since each panel then serves too few register blocks to repay the copy; with one
 * row block and several slabs, a task takes its column panels through all the slabs
 * ({@code bySlabsInTask}), so the threads do not meet after every slab; and
 * {@link #packAll} + {@link #gemmPacked} let a caller pack an A shared by many products once
 * (a convolution's weights over a batch).
 * Edges need little separate code: packing pads with zeros and the store masks the columns past N
 * and skips the rows past M; a last row panel of at most MR - 4 rows runs four rows at a time
 * ({@code microKernel4}) rather than through a register block that is mostly padding. Each
 * element of C is summed over k in the same order (slab by slab, p ascending) whatever the thread
 * count and whichever register block holds its row, so results are bit-for-bit reproducible.
 * Slab 0 applies beta (beta = 0 overwrites C, ignoring NaN there); later slabs accumulate.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /**
     * Rows of the register block: 6 rows × 2 vectors = 12 accumulators + 3 live registers fit AVX2's
     * 16; on 512-bit species (32 registers) 12 rows × 2 vectors = 24 accumulators, which halves the
     * loads of B per multiply-add.
     */
    static final int MR = F.vectorBitSize() >= 512 ? 12 : 6;
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /**
     * Depth of one slab. The block of C is loaded and stored once per slab, so deeper slabs move
     * less of C; the packed block of A (MC × KC) and a panel of B (NR × KC) must still fit L2.
     * 512 beat 256 (a panel that fits L1; Zen 4, 1024³ and 2048³). On 512-bit species 1024 (a 128
     * KiB panel of B, a 768 KiB block of A: the 1 MiB L2 that AVX-512 parts have) beat 512 at 2048³
     * by 3% and was level at 1024³ and LeNet's x·Wᵀ (Zen 5, bench/RESULTS.md, fifth session of
     * 2026-12-05); narrower species keep 512, so their blocks still fit a 512 KiB L2.
     */
    static final int KC = F.vectorBitSize() >= 512 ? 1024 : 512;
    /** Rows of one packed block of A: MC × KC floats (192 KiB with MR = 6, 768 KiB with 12) stay in L2. */
    static final int MC = 16 * MR;
    /** Compute tasks per thread a product aims at (fewer when the product is small). */
    private static final int TASKS_PER_THREAD = 8;
    /** Rows of a transposed B turned at a time when packing (NR · 64 floats: 8 KiB on 512-bit species). */
    private static final int TRANSPOSE_STEPS = 64;

    private static final ThreadLocal<float[][]> PACKED_A = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private static final ThreadLocal<float[][]> PACKED_B = ThreadLocal.withInitial(() -> new float[1][0]);

    private VectorGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, float[] b, int bOffset,
                     float beta, float[] c, int cOffset) {
        run(transA, transB, m, n, k, alpha, a, aOffset, null, 0, b, bOffset, beta, c, cOffset);
    }

    /** Floats {@link #packAll} writes for an M×K matrix: K · M rounded up to MR. */
    static int packedSize(int m, int k) {
        return k * ((m + MR - 1) / MR * MR);
    }

    /**
     * Packs all of op(A) (M×K) the way {@link #gemm} packs one block at a time, so that many
     * products with the same A (a convolution's weights over a batch) pack it once. Slab pc
     * (depth kc) starts at {@code packedOffset + pc · roundUp(M, MR)}; its row block ic at
     * {@code ic · kc} after that.
     */
    static void packAll(boolean transA, int m, int k, float[] a, int aOffset, float[] packed, int packedOffset) {
        int rows = (m + MR - 1) / MR * MR;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int ic = 0; ic < m; ic += MC) {
                packA(transA, m, k, a, aOffset, ic, Math.min(MC, m - ic), pc, kc, packed, packedOffset + pc * rows + ic * kc);
            }
        }
    }

    /**
     * C = alpha · A · op(B) + beta · C with A already packed by {@link #packAll} at
     * {@code packedA[packedOffset]}; B row-major unless transB.
     */
    static void gemmPacked(boolean transB, int m, int n, int k, float alpha, float[] packedA, int packedOffset,
                           float[] b, int bOffset, float beta, float[] c, int cOffset) {
        run(false, transB, m, n, k, alpha, null, 0, packedA, packedOffset, b, bOffset, beta, c, cOffset);
    }

    private static void run(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOffset, float[] prepackedA, int packedOffset,
                            float[] b, int bOffset, float beta, float[] c, int cOffset) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            scale(c, cOffset, m * n, beta);
            return;
        }
        int panels = (n + NR - 1) / NR;
        int rowsPadded = (m + MR - 1) / MR * MR;
        int kcMax = Math.min(KC, k);
        float[] packedB = scratch(PACKED_B, panels * NR * kcMax);
        // A slab of op(A), all row blocks, packed once and read by every task of its row block.
        float[] sharedA = prepackedA != null ? prepackedA : scratch(PACKED_A, rowsPadded * kcMax);
        int rowBlocks = (m + MC - 1) / MC;
        // Several tasks per thread (column groups when row blocks are too few): the pool hands
        // tasks out as threads come free, so a thread slowed by other work on its core takes fewer.
        int threads = CpuThreads.insideTask() ? 1 : CpuThreads.threads();
        int columnGroups = threads == 1 ? 1
                : Math.min(panels, Math.max(1, (TASKS_PER_THREAD * threads + rowBlocks - 1) / rowBlocks));
        int panelsPerGroup = (panels + columnGroups - 1) / columnGroups;
        int groups = (panels + panelsPerGroup - 1) / panelsPerGroup;
        // With few rows each panel of B is used by few register blocks, and copying it costs as
        // much as the products: the micro-kernel then reads full panels of a row-major B in place
        // (row stride n) and only the last, partial panel is packed.
        final boolean direct = !transB && rowBlocks <= 2;
        if (rowBlocks == 1 && k > KC) {
            // One row block and several slabs (LeNet's x·Wᵀ: 128 × 500 × 3136): each task takes its
            // column panels through every slab, so the threads meet twice per product instead of
            // twice per slab; a slab's work per task was too little to repay waking the threads.
            bySlabsInTask(transA, transB, m, n, k, alpha, a, aOffset, prepackedA, packedOffset, b, bOffset, beta,
                    c, cOffset, direct, groups, panelsPerGroup, packedB);
            return;
        }
        final int packGroups = direct ? 0 : groups;
        final int packBlocks = prepackedA != null ? 0 : rowBlocks;
        for (int pc = 0; pc < k; pc += KC) {
            final int p0 = pc;
            final int kc = Math.min(KC, k - pc);
            if (direct && n % NR != 0) {
                packB(false, n, k, b, bOffset, p0, kc, panels - 1, packedB, (panels - 1) * NR * kc);
            }
            CpuThreads.forEach(packGroups + packBlocks, t -> {
                if (t < packGroups) {
                    int from = t * panelsPerGroup;
                    int to = Math.min(panels, from + panelsPerGroup);
                    for (int panel = from; panel < to; panel++) {
                        packB(transB, n, k, b, bOffset, p0, kc, panel, packedB, panel * NR * kc);
                    }
                } else {
                    int ic = (t - packGroups) * MC;
                    packA(transA, m, k, a, aOffset, ic, Math.min(MC, m - ic), p0, kc, sharedA, ic * kc);
                }
            });
            final int aSlab = prepackedA != null ? packedOffset + p0 * rowsPadded : 0;
            CpuThreads.forEach(rowBlocks * groups, task -> {
                int ic = (task / groups) * MC;
                int gi = task % groups;
                int mc = Math.min(MC, m - ic);
                float[] tile = TILE.get();
                int aBase = aSlab + ic * kc;
                int from = gi * panelsPerGroup;
                int to = Math.min(panels, from + panelsPerGroup);
                for (int panel = from; panel < to; panel++) {
                    panelProducts(tile, sharedA, aBase, ic, mc, b, bOffset, packedB, panel * NR * kc, direct, n,
                            panel, p0, kc, c, cOffset, alpha, beta);
                }
            });
        }
    }

    /**
     * {@link #run} for one row block (M ≤ {@link #MC}) and K above one slab: all of op(A) is packed
     * first (a task per slab, the layout of {@link #packAll}), then a task per group of column
     * panels packs its own panels of B slab by slab and multiplies them by every row panel of A.
     * The same products in the same order as the slab-by-slab loop, so the same bits.
     */
    private static void bySlabsInTask(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                      int aOffset, float[] prepackedA, int packedOffset, float[] b, int bOffset,
                                      float beta, float[] c, int cOffset, boolean direct, int groups,
                                      int panelsPerGroup, float[] packedB) {
        int panels = (n + NR - 1) / NR;
        int rowsPadded = (m + MR - 1) / MR * MR;
        int slabs = (k + KC - 1) / KC;
        float[] packedA = prepackedA;
        int aStart = packedOffset;
        if (packedA == null) {
            float[] all = scratch(PACKED_A, rowsPadded * k);
            CpuThreads.forEach(slabs, slab -> {
                int p0 = slab * KC;
                packA(transA, m, k, a, aOffset, 0, m, p0, Math.min(KC, k - p0), all, p0 * rowsPadded);
            });
            packedA = all;
            aStart = 0;
        }
        int aAt = aStart;
        float[] pa = packedA;
        CpuThreads.forEach(groups, group -> {
            float[] tile = TILE.get();
            int from = group * panelsPerGroup;
            int to = Math.min(panels, from + panelsPerGroup);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                for (int panel = from; panel < to; panel++) {
                    // Each panel keeps its own NR × KC floats for every slab (the last slab is
                    // shallower, and other tasks may still be reading the slab before).
                    int at = panel * NR * KC;
                    boolean inPlace = direct && n - panel * NR >= NR;   // as panelProducts reads it
                    if (!inPlace) {
                        packB(transB, n, k, b, bOffset, p0, kc, panel, packedB, at);
                    }
                    panelProducts(tile, pa, aAt + p0 * rowsPadded, 0, m, b, bOffset, packedB, at, direct, n, panel, p0, kc,
                            c, cOffset, alpha, beta);
                }
            }
        });
    }

    /**
     * C[ic .. ic + mc, panel's columns] of slab p0 (depth kc): every row panel of the packed A
     * block at {@code pa[aBase]} times one column panel of B, read in place when the panel is a
     * full one of a row-major B ({@code direct}), else from {@code packedB[packedAt]}. Slab 0
     * applies beta.
     */
    private static void panelProducts(float[] tile, float[] pa, int aBase, int ic, int mc, float[] b, int bOffset,
                                      float[] packedB, int packedAt, boolean direct, int n, int panel, int p0, int kc,
                                      float[] c, int cOffset, float alpha, float beta) {
        int j0 = panel * NR;
        int nr = Math.min(NR, n - j0);
        boolean inPlace = direct && nr == NR;
        float[] panelB = inPlace ? b : packedB;
        int panelOffset = inPlace ? bOffset + p0 * n + j0 : packedAt;
        int panelStride = inPlace ? n : NR;
        for (int ir = 0; ir < mc; ir += MR) {
            microKernel(tile, pa, aBase + ir * kc, panelB, panelOffset, panelStride, kc,
                    c, cOffset + (ic + ir) * n + j0, n, Math.min(MR, mc - ir), nr, alpha, beta, p0 == 0);
        }
    }

    private static float[] scratch(ThreadLocal<float[][]> holder, int size) {
        float[][] h = holder.get();
        if (h[0].length < size) {
            h[0] = new float[size];
        }
        return h[0];
    }

    /** packedB[at + p·NR + j] = op(B)[p0 + p, panel·NR + j], zero past N. */
    private static void packB(boolean transB, int n, int k, float[] b, int bOffset, int p0, int kc,
                              int panel, float[] packedB, int at) {
        int j0 = panel * NR;
        int nr = Math.min(NR, n - j0);
        int dst = at;
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
            // B is N×K: column j of op(B) is row j of B.
            if (nr == NR) {
                // A full panel: each packed row is two gathers of L floats k apart in B (1.46 times
                // the speed of LeNet's 128×500×3136 x·Wᵀ with the scalar copy, FcGemmBenchmark).
                int[] rows = VectorWidth.strided(k);
                int src = bOffset + j0 * k + p0;
                for (int p = 0; p < kc; p++, dst += NR) {
                    FloatVector.fromArray(F, b, src + p, rows, 0).intoArray(packedB, dst);
                    FloatVector.fromArray(F, b, src + L * k + p, rows, 0).intoArray(packedB, dst + L);
                }
                return;
            }
            // The last, partial panel: turned a block of TRANSPOSE_STEPS rows at a time, so the
            // floats it writes (NR apart) stay in L1 while its rows of B are read into them.
            for (int pb = 0; pb < kc; pb += TRANSPOSE_STEPS) {
                int pe = Math.min(kc, pb + TRANSPOSE_STEPS);
                for (int j = 0; j < NR; j++) {
                    if (j < nr) {
                        int src = bOffset + (j0 + j) * k + p0;
                        for (int p = pb; p < pe; p++) {
                            packedB[dst + p * NR + j] = b[src + p];
                        }
                    } else {
                        for (int p = pb; p < pe; p++) {
                            packedB[dst + p * NR + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** packedA[packedOffset + (r / MR)·MR·kc + p·MR + r % MR] = op(A)[ic + r, p0 + p], zero past M. */
    private static void packA(boolean transA, int m, int k, float[] a, int aOffset, int ic, int mc,
                              int p0, int kc, float[] packedA, int packedOffset) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = packedOffset + ir * kc;
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
     * + (first ? beta · C : C), over one packed MR-row panel of A and one NR-column panel of B
     * whose rows are bStride apart (NR when packed, N when read in place).
     */
    private static void microKernel(float[] tile, float[] pa, int aOff, float[] pb, int bOff, int bStride, int kc,
                                    float[] c, int cOffset, int ldc, int mr, int nr,
                                    float alpha, float beta, boolean first) {
        if ((mr + 3) / 4 * 4 < MR) {
            // A partial panel (the last rows of M): four rows at a time, not MR rows of which most are
            // padding. Each row's sum is the same chain of multiply-adds, so the bits do not change.
            for (int r0 = 0; r0 < mr; r0 += 4) {
                microKernel4(tile, pa, aOff + r0, pb, bOff, bStride, kc);
                update(tile, c, cOffset + r0 * ldc, ldc, Math.min(4, mr - r0), nr, alpha, beta, first);
            }
            return;
        }
        if (MR == 12) {
            microKernel12(tile, pa, aOff, pb, bOff, bStride, kc);
        } else {
            microKernel6(tile, pa, aOff, pb, bOff, bStride, kc);
        }
        update(tile, c, cOffset, ldc, mr, nr, alpha, beta, first);
    }

    /**
     * tile[r·NR + j] = Σ_p A[r, p] · B[p, j] for the 4 rows of a packed MR-row panel of A that start
     * at pa[aOff] (so A[r, p] = pa[aOff + p·MR + r]).
     */
    private static void microKernel4(float[] tile, float[] pa, int aOff, float[] pb, int bOff, int bStride, int kc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += bStride) {
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
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /** tile[r·NR + j] = Σ_p A[r, p] · B[p, j] over a 6-row panel of A (MR = 6). */
    private static void microKernel6(float[] tile, float[] pa, int aOff, float[] pb, int bOff, int bStride, int kc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 6, bi += bStride) {
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
    }


    /** tile[r·NR + j] = Σ_p A[r, p] · B[p, j] over a 12-row panel of A (MR = 12). */
    private static void microKernel12(float[] tile, float[] pa, int aOff, float[] pb, int bOff, int bStride, int kc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F), c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F), c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        FloatVector c80 = FloatVector.zero(F), c81 = FloatVector.zero(F), c90 = FloatVector.zero(F), c91 = FloatVector.zero(F);
        FloatVector c100 = FloatVector.zero(F), c101 = FloatVector.zero(F), c110 = FloatVector.zero(F), c111 = FloatVector.zero(F);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 12, bi += bStride) {
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
            FloatVector a6 = FloatVector.broadcast(F, pa[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, pa[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(F, pa[ai + 8]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(F, pa[ai + 9]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(F, pa[ai + 10]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(F, pa[ai + 11]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
        }
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
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c80.intoArray(tile, 8 * NR);
        c81.intoArray(tile, 8 * NR + L);
        c90.intoArray(tile, 9 * NR);
        c91.intoArray(tile, 9 * NR + L);
        c100.intoArray(tile, 10 * NR);
        c101.intoArray(tile, 10 * NR + L);
        c110.intoArray(tile, 11 * NR);
        c111.intoArray(tile, 11 * NR + L);
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
