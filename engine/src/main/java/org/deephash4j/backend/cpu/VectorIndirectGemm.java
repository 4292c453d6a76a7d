package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked product of a convolution without an im2col matrix: an "indirect" GEMM
 * whose A is read through two offset tables,
 * <pre>
 *   C[r, j] (+)= Σ_{s in [s0, s1)} src[rowOffset[r] + stepOffset[s]] · B[s, j]
 * </pre>
 * for the {@link #MR} rows r of one block and the columns j of one block of {@code blockVectors · L}
 * floats. A convolution's im2col matrix has exactly this form: {@code col[(c, i, j), (y, x)] =
 * padded[c·Hp·Wp + i·Wp + j + y·s·Wp + x·s]}, a sum of a term that depends only on the kernel
 * tap and a term that depends only on the position, so a table of each replaces the matrix
 * ({@code VectorConv2d} builds them; the input is first copied into a zero-padded image).
 * Which index is the row and which the step depends on the pass: positions are rows in the
 * forward pass (steps are taps), taps are rows in backward-filter (steps are positions).
 *
 * <p>Vectors run along B's columns (output channels), which are many and a multiple of the lane
 * count in real networks; A is broadcast one float at a time. Two register blocks:
 * <ul>
 *   <li>{@code 6 × 4} vectors (24 accumulators, one broadcast per four FMAs) for 512-bit species,
 *       whose machines have 32 vector registers;</li>
 *   <li>{@code 6 × 2} vectors (12 accumulators), for narrower species (16 registers on AVX2) and
 *       for a last block of 2 vectors.</li>
 * </ul>
 * C is read, accumulated into and written back at row stride {@code ldc}; when {@code first} is
 * true the old C is ignored (written, not added to). The caller pads C to whole blocks: rows
 * past the last real one point their offset at a real row and their results are never read.
 * Each C element sums its steps in ascending order, so the result does not depend on threads.
 */
final class VectorIndirectGemm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Rows of one register block. */
    static final int MR = 6;
    /** Rows of the tall block ({@link #blockTall}, 12 × 2 vectors): 12 on 512-bit species, else MR (no tall block). */
    static final int TALL = F.vectorBitSize() >= 512 ? 12 : MR;
    /** Vectors per row of the wide block: 4 on 512-bit species (32 registers), else 2. */
    static final int WIDE = F.vectorBitSize() >= 512 ? 4 : 2;

    private VectorIndirectGemm() {
    }

    /** Columns (floats) a block of {@code vectors} covers. */
    static int width(int vectors) {
        return vectors * L;
    }

    /** Floats per vector. */
    static int lanes() {
        return L;
    }

    /**
     * One register block: C[r, 0..vectors·L) for the MR rows whose offsets start at
     * {@code rowOffset[row0]}, over steps [s0, s1), A read at {@code src[srcOff + rowOffset + stepOffset]};
     * B row s starts at {@code b[bOff + s·ldb]}. {@code vectors} is 4 (only when {@link #WIDE} is 4) or 2.
     */
    static void block(int vectors, float[] c, int cOff, int ldc, boolean first,
                      float[] src, int srcOff, int[] rowOffset, int row0, int[] stepOffset, int s0, int s1,
                      float[] b, int bOff, int ldb) {
        int r0 = srcOff + rowOffset[row0], r1 = srcOff + rowOffset[row0 + 1], r2 = srcOff + rowOffset[row0 + 2];
        int r3 = srcOff + rowOffset[row0 + 3], r4 = srcOff + rowOffset[row0 + 4], r5 = srcOff + rowOffset[row0 + 5];
        if (vectors == 4) {
            block6x4(c, cOff, ldc, first, src, r0, r1, r2, r3, r4, r5, stepOffset, s0, s1, b, bOff, ldb);
        } else {
            block6x2(c, cOff, ldc, first, src, r0, r1, r2, r3, r4, r5, stepOffset, s0, s1, b, bOff, ldb);
        }
    }

    /**
     * A tall block: C[r, 0..2·L) for the {@link #TALL} rows whose offsets start at
     * {@code rowOffset[row0]} (24 accumulators, one broadcast per two FMAs as in {@code block6x2},
     * but twice the FMAs per load of B), for two-vector column blocks on 512-bit species: a
     * convolution pass that makes 32 channels (LeNet's conv2 backward-data) would otherwise run
     * on 6 × 2 blocks. The same arguments and sums as {@link #block}.
     */
    static void blockTall(float[] c, int cOff, int ldc, boolean first,
                          float[] src, int srcOff, int[] rowOffset, int row0, int[] stepOffset, int s0, int s1,
                          float[] b, int bOff, int ldb) {
        int r0 = srcOff + rowOffset[row0 + 0];
        int r1 = srcOff + rowOffset[row0 + 1];
        int r2 = srcOff + rowOffset[row0 + 2];
        int r3 = srcOff + rowOffset[row0 + 3];
        int r4 = srcOff + rowOffset[row0 + 4];
        int r5 = srcOff + rowOffset[row0 + 5];
        int r6 = srcOff + rowOffset[row0 + 6];
        int r7 = srcOff + rowOffset[row0 + 7];
        int r8 = srcOff + rowOffset[row0 + 8];
        int r9 = srcOff + rowOffset[row0 + 9];
        int r10 = srcOff + rowOffset[row0 + 10];
        int r11 = srcOff + rowOffset[row0 + 11];
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc, c8 = c7 + ldc, c9 = c8 + ldc, c10 = c9 + ldc, c11 = c10 + ldc;
        FloatVector a00 = load(first, c, c0), a01 = load(first, c, c0 + L);
        FloatVector a10 = load(first, c, c1), a11 = load(first, c, c1 + L);
        FloatVector a20 = load(first, c, c2), a21 = load(first, c, c2 + L);
        FloatVector a30 = load(first, c, c3), a31 = load(first, c, c3 + L);
        FloatVector a40 = load(first, c, c4), a41 = load(first, c, c4 + L);
        FloatVector a50 = load(first, c, c5), a51 = load(first, c, c5 + L);
        FloatVector a60 = load(first, c, c6), a61 = load(first, c, c6 + L);
        FloatVector a70 = load(first, c, c7), a71 = load(first, c, c7 + L);
        FloatVector a80 = load(first, c, c8), a81 = load(first, c, c8 + L);
        FloatVector a90 = load(first, c, c9), a91 = load(first, c, c9 + L);
        FloatVector a100 = load(first, c, c10), a101 = load(first, c, c10 + L);
        FloatVector a110 = load(first, c, c11), a111 = load(first, c, c11 + L);
        int bi = bOff + s0 * ldb;
        for (int s = s0; s < s1; s++, bi += ldb) {
            int o = stepOffset[s];
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(F, src[r0 + o]);
            a00 = x.fma(b0, a00);
            a01 = x.fma(b1, a01);
            x = FloatVector.broadcast(F, src[r1 + o]);
            a10 = x.fma(b0, a10);
            a11 = x.fma(b1, a11);
            x = FloatVector.broadcast(F, src[r2 + o]);
            a20 = x.fma(b0, a20);
            a21 = x.fma(b1, a21);
            x = FloatVector.broadcast(F, src[r3 + o]);
            a30 = x.fma(b0, a30);
            a31 = x.fma(b1, a31);
            x = FloatVector.broadcast(F, src[r4 + o]);
            a40 = x.fma(b0, a40);
            a41 = x.fma(b1, a41);
            x = FloatVector.broadcast(F, src[r5 + o]);
            a50 = x.fma(b0, a50);
            a51 = x.fma(b1, a51);
            x = FloatVector.broadcast(F, src[r6 + o]);
            a60 = x.fma(b0, a60);
            a61 = x.fma(b1, a61);
            x = FloatVector.broadcast(F, src[r7 + o]);
            a70 = x.fma(b0, a70);
            a71 = x.fma(b1, a71);
            x = FloatVector.broadcast(F, src[r8 + o]);
            a80 = x.fma(b0, a80);
            a81 = x.fma(b1, a81);
            x = FloatVector.broadcast(F, src[r9 + o]);
            a90 = x.fma(b0, a90);
            a91 = x.fma(b1, a91);
            x = FloatVector.broadcast(F, src[r10 + o]);
            a100 = x.fma(b0, a100);
            a101 = x.fma(b1, a101);
            x = FloatVector.broadcast(F, src[r11 + o]);
            a110 = x.fma(b0, a110);
            a111 = x.fma(b1, a111);
        }
        a00.intoArray(c, c0);
        a01.intoArray(c, c0 + L);
        a10.intoArray(c, c1);
        a11.intoArray(c, c1 + L);
        a20.intoArray(c, c2);
        a21.intoArray(c, c2 + L);
        a30.intoArray(c, c3);
        a31.intoArray(c, c3 + L);
        a40.intoArray(c, c4);
        a41.intoArray(c, c4 + L);
        a50.intoArray(c, c5);
        a51.intoArray(c, c5 + L);
        a60.intoArray(c, c6);
        a61.intoArray(c, c6 + L);
        a70.intoArray(c, c7);
        a71.intoArray(c, c7 + L);
        a80.intoArray(c, c8);
        a81.intoArray(c, c8 + L);
        a90.intoArray(c, c9);
        a91.intoArray(c, c9 + L);
        a100.intoArray(c, c10);
        a101.intoArray(c, c10 + L);
        a110.intoArray(c, c11);
        a111.intoArray(c, c11 + L);
    }

    private static FloatVector load(boolean first, float[] c, int at) {
        return first ? FloatVector.zero(F) : FloatVector.fromArray(F, c, at);
    }

    private static void block6x4(float[] c, int cOff, int ldc, boolean first, float[] src,
                                 int r0, int r1, int r2, int r3, int r4, int r5,
                                 int[] stepOffset, int s0, int s1, float[] b, int bOff, int ldb) {
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        FloatVector a00 = load(first, c, c0), a01 = load(first, c, c0 + L);
        FloatVector a02 = load(first, c, c0 + 2 * L), a03 = load(first, c, c0 + 3 * L);
        FloatVector a10 = load(first, c, c1), a11 = load(first, c, c1 + L);
        FloatVector a12 = load(first, c, c1 + 2 * L), a13 = load(first, c, c1 + 3 * L);
        FloatVector a20 = load(first, c, c2), a21 = load(first, c, c2 + L);
        FloatVector a22 = load(first, c, c2 + 2 * L), a23 = load(first, c, c2 + 3 * L);
        FloatVector a30 = load(first, c, c3), a31 = load(first, c, c3 + L);
        FloatVector a32 = load(first, c, c3 + 2 * L), a33 = load(first, c, c3 + 3 * L);
        FloatVector a40 = load(first, c, c4), a41 = load(first, c, c4 + L);
        FloatVector a42 = load(first, c, c4 + 2 * L), a43 = load(first, c, c4 + 3 * L);
        FloatVector a50 = load(first, c, c5), a51 = load(first, c, c5 + L);
        FloatVector a52 = load(first, c, c5 + 2 * L), a53 = load(first, c, c5 + 3 * L);
        int bi = bOff + s0 * ldb;
        for (int s = s0; s < s1; s++, bi += ldb) {
            int o = stepOffset[s];
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, b, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(F, src[r0 + o]);
            a00 = x.fma(b0, a00);
            a01 = x.fma(b1, a01);
            a02 = x.fma(b2, a02);
            a03 = x.fma(b3, a03);
            x = FloatVector.broadcast(F, src[r1 + o]);
            a10 = x.fma(b0, a10);
            a11 = x.fma(b1, a11);
            a12 = x.fma(b2, a12);
            a13 = x.fma(b3, a13);
            x = FloatVector.broadcast(F, src[r2 + o]);
            a20 = x.fma(b0, a20);
            a21 = x.fma(b1, a21);
            a22 = x.fma(b2, a22);
            a23 = x.fma(b3, a23);
            x = FloatVector.broadcast(F, src[r3 + o]);
            a30 = x.fma(b0, a30);
            a31 = x.fma(b1, a31);
            a32 = x.fma(b2, a32);
            a33 = x.fma(b3, a33);
            x = FloatVector.broadcast(F, src[r4 + o]);
            a40 = x.fma(b0, a40);
            a41 = x.fma(b1, a41);
            a42 = x.fma(b2, a42);
            a43 = x.fma(b3, a43);
            x = FloatVector.broadcast(F, src[r5 + o]);
            a50 = x.fma(b0, a50);
            a51 = x.fma(b1, a51);
            a52 = x.fma(b2, a52);
            a53 = x.fma(b3, a53);
        }
        a00.intoArray(c, c0);
        a01.intoArray(c, c0 + L);
        a02.intoArray(c, c0 + 2 * L);
        a03.intoArray(c, c0 + 3 * L);
        a10.intoArray(c, c1);
        a11.intoArray(c, c1 + L);
        a12.intoArray(c, c1 + 2 * L);
        a13.intoArray(c, c1 + 3 * L);
        a20.intoArray(c, c2);
        a21.intoArray(c, c2 + L);
        a22.intoArray(c, c2 + 2 * L);
        a23.intoArray(c, c2 + 3 * L);
        a30.intoArray(c, c3);
        a31.intoArray(c, c3 + L);
        a32.intoArray(c, c3 + 2 * L);
        a33.intoArray(c, c3 + 3 * L);
        a40.intoArray(c, c4);
        a41.intoArray(c, c4 + L);
        a42.intoArray(c, c4 + 2 * L);
        a43.intoArray(c, c4 + 3 * L);
        a50.intoArray(c, c5);
        a51.intoArray(c, c5 + L);
        a52.intoArray(c, c5 + 2 * L);
        a53.intoArray(c, c5 + 3 * L);
    }

    private static void block6x2(float[] c, int cOff, int ldc, boolean first, float[] src,
                                 int r0, int r1, int r2, int r3, int r4, int r5,
                                 int[] stepOffset, int s0, int s1, float[] b, int bOff, int ldb) {
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        FloatVector a00 = load(first, c, c0), a01 = load(first, c, c0 + L);
        FloatVector a10 = load(first, c, c1), a11 = load(first, c, c1 + L);
        FloatVector a20 = load(first, c, c2), a21 = load(first, c, c2 + L);
        FloatVector a30 = load(first, c, c3), a31 = load(first, c, c3 + L);
        FloatVector a40 = load(first, c, c4), a41 = load(first, c, c4 + L);
        FloatVector a50 = load(first, c, c5), a51 = load(first, c, c5 + L);
        int bi = bOff + s0 * ldb;
        for (int s = s0; s < s1; s++, bi += ldb) {
            int o = stepOffset[s];
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector x = FloatVector.broadcast(F, src[r0 + o]);
            a00 = x.fma(b0, a00);
            a01 = x.fma(b1, a01);
            x = FloatVector.broadcast(F, src[r1 + o]);
            a10 = x.fma(b0, a10);
            a11 = x.fma(b1, a11);
            x = FloatVector.broadcast(F, src[r2 + o]);
            a20 = x.fma(b0, a20);
            a21 = x.fma(b1, a21);
            x = FloatVector.broadcast(F, src[r3 + o]);
            a30 = x.fma(b0, a30);
            a31 = x.fma(b1, a31);
            x = FloatVector.broadcast(F, src[r4 + o]);
            a40 = x.fma(b0, a40);
            a41 = x.fma(b1, a41);
            x = FloatVector.broadcast(F, src[r5 + o]);
            a50 = x.fma(b0, a50);
            a51 = x.fma(b1, a51);
        }
        a00.intoArray(c, c0);
        a01.intoArray(c, c0 + L);
        a10.intoArray(c, c1);
        a11.intoArray(c, c1 + L);
        a20.intoArray(c, c2);
        a21.intoArray(c, c2 + L);
        a30.intoArray(c, c3);
        a31.intoArray(c, c3 + L);
        a40.intoArray(c, c4);
        a41.intoArray(c, c4 + L);
        a50.intoArray(c, c5);
        a51.intoArray(c, c5 + L);
    }
}
