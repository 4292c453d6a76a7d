package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.Conv2dGeometry;

/**
 * Forward and backward-filter of a stride-1 convolution with few taps per output
 * ({@code K = inC·kH·kW} at most {@link #MAX_TAPS}, as LeNet's first layer: 1 channel, 5×5), with
 * vectors along the output rows: the same contracts as {@code ReferenceConv2d}.
 *
 * <p>{@link VectorConv2d}'s indirect product puts vectors along output channels and writes each
 * block back channel-major, one float at a time; that costs about {@code L / K} of the product,
 * most of it when K is 25. Here the image, zero-padded into {@code hp × wp} planes, is read
 * directly: at stride 1 the taps of L neighbouring outputs of one row are L neighbouring floats
 * of a padded row, so
 * <ul>
 *   <li>forward: a block of 8 output channels × 2 vectors of one output row accumulates
 *       {@code W[o, t] · padded[tap t + row]} (weights broadcast from a tap-major pack), and is
 *       stored in place with the bias;</li>
 *   <li>backward-filter: a block of 4 output channels × 5 taps accumulates
 *       {@code gradOutput[o, row] · padded[tap + row]} lane-wise over every row of an image; the
 *       lanes are added (in lane order) once, when the chunks are combined.</li>
 * </ul>
 * No load or store is masked: when L does not divide the row, its last vector starts at
 * {@code outW - L} and overlaps the one before it ({@link #vectorStarts}); forward computes those
 * outputs twice (identically), backward-filter multiplies the shared lanes' sum by 0. (Masked
 * vector operations made these methods too large for the C1 compiler, and a method C1 gives up on
 * may never reach C2 either: it then runs interpreted, a hundred times slower.)
 * Backward-filter cuts the batch into the same fixed chunks as {@link VectorConv2d}, combined in
 * chunk order: the bits do not depend on the thread count.
 */
final class VectorRowConv2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Taps per output up to which this path beats the indirect product (its transposed store costs L / K). */
    static final int MAX_TAPS = 64;
    /** Output channels of one forward block. */
    private static final int OR = 8;
    /** Output channels × taps of one backward-filter block. */
    private static final int GO = 4;
    private static final int GT = 5;

    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> TILE = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][][]> PARTIAL = ThreadLocal.withInitial(() -> new float[1][0][]);

    private VectorRowConv2d() {
    }

    /** Stride 1, few taps, and output rows at least one vector long. */
    static boolean applies(Conv2dGeometry g) {
        return g.stride() == 1 && g.inChannels() * g.kernelHeight() * g.kernelWidth() <= MAX_TAPS
                && g.outWidth() >= L;
    }

    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int outC = g.outChannels(), outH = g.outHeight(), outW = g.outWidth();
        int hp = outH - 1 + g.kernelHeight(), wp = outW - 1 + g.kernelWidth();
        int blocks = (outC + OR - 1) / OR;
        // packed[b·K·OR + t·OR + r] = weight[b·OR + r, t] and biases[b·OR + r] = bias[b·OR + r], zero past outC.
        float[] packed = scratch(PACKED, blocks * k * OR + blocks * OR);
        int biasAt = blocks * k * OR;
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < OR; r++) {
                int o = b * OR + r;
                for (int t = 0; t < k; t++) {
                    packed[(b * k + t) * OR + r] = o < outC ? weight[o * k + t] : 0f;
                }
                packed[biasAt + o] = o < outC && bias != null ? bias[o] : 0f;
            }
        }
        int[] taps = ConvLayouts.tapOffsets(g.inChannels(), g.kernelHeight(), g.kernelWidth(), hp, wp, k);
        int[] starts = vectorStarts(outW);
        int inSize = g.inChannels() * g.inHeight() * g.inWidth();
        int positions = outH * outW;
        CpuThreads.forEach(g.batch(), n -> {
            float[] image = paddedImage(input, n * inSize, g, hp, wp);
            float[] tile = scratch(TILE, OR * 2 * L);
            for (int b = 0; b < blocks; b++) {
                int rows = Math.min(OR, outC - b * OR);
                int outOff = (n * outC + b * OR) * positions;
                for (int y = 0; y < outH; y++) {
                    // Vectors in pairs; an odd last one is paired with itself (computed and stored twice).
                    for (int v = 0; v < starts.length; v += 2) {
                        int xa = starts[v];
                        int xb = starts[Math.min(v + 1, starts.length - 1)];
                        block8x2(output, outOff + y * outW, positions, rows, xa, xb, packed, b * k * OR, image,
                                y * wp, taps, k, packed, biasAt + b * OR, tile);
                    }
                }
            }
        });
    }

    /**
     * Where the vectors of an output row start: 0, L, 2L, ... and, when L does not divide outW, a
     * last one at outW - L that overlaps the one before it. Every vector is whole, so no load or
     * store needs a mask; the overlapped outputs are computed twice, identically.
     */
    static int[] vectorStarts(int outW) {
        int whole = outW / L;
        int[] starts = new int[whole + (outW % L != 0 ? 1 : 0)];
        for (int v = 0; v < whole; v++) {
            starts[v] = v * L;
        }
        if (outW % L != 0) {
            starts[whole] = outW - L;
        }
        return starts;
    }

    /**
     * out[outOff + r·ldo + x + lane] = bias[r] + Σ_t A[t, r] · src[base + taps[t] + x + lane] for the
     * rows r &lt; rows, the two vectors x = xa and x = xb and every lane; A is the tap-major pack at
     * aOff, bias the 8 floats at b[bOff].
     */
    private static void block8x2(float[] out, int outOff, int ldo, int rows, int xa, int xb, float[] a, int aOff,
                                 float[] src, int base, int[] taps, int k, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int ai = aOff;
        int sa = base + xa;
        int sb = base + xb;
        for (int t = 0; t < k; t++, ai += OR) {
            int tap = taps[t];
            FloatVector b0 = FloatVector.fromArray(F, src, sa + tap);
            FloatVector b1 = FloatVector.fromArray(F, src, sb + tap);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(F, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        // Stored here, not through a helper: vectors passed to a method that is not inlined are boxed.
        // A block past the last channel goes through the tile, so its missing rows are never written.
        boolean whole = rows == OR;
        float[] dst = whole ? out : tile;
        int d0 = whole ? outOff : 0;
        int ld = whole ? ldo : 2 * L;
        int da = whole ? xa : 0;
        int db = whole ? xb : L;
        c00.add(b[bOff]).intoArray(dst, d0 + da);
        c01.add(b[bOff]).intoArray(dst, d0 + db);
        c10.add(b[bOff + 1]).intoArray(dst, d0 + ld + da);
        c11.add(b[bOff + 1]).intoArray(dst, d0 + ld + db);
        c20.add(b[bOff + 2]).intoArray(dst, d0 + 2 * ld + da);
        c21.add(b[bOff + 2]).intoArray(dst, d0 + 2 * ld + db);
        c30.add(b[bOff + 3]).intoArray(dst, d0 + 3 * ld + da);
        c31.add(b[bOff + 3]).intoArray(dst, d0 + 3 * ld + db);
        c40.add(b[bOff + 4]).intoArray(dst, d0 + 4 * ld + da);
        c41.add(b[bOff + 4]).intoArray(dst, d0 + 4 * ld + db);
        c50.add(b[bOff + 5]).intoArray(dst, d0 + 5 * ld + da);
        c51.add(b[bOff + 5]).intoArray(dst, d0 + 5 * ld + db);
        c60.add(b[bOff + 6]).intoArray(dst, d0 + 6 * ld + da);
        c61.add(b[bOff + 6]).intoArray(dst, d0 + 6 * ld + db);
        c70.add(b[bOff + 7]).intoArray(dst, d0 + 7 * ld + da);
        c71.add(b[bOff + 7]).intoArray(dst, d0 + 7 * ld + db);
        if (!whole) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tile, r * 2 * L, out, outOff + r * ldo + xa, L);
                System.arraycopy(tile, r * 2 * L + L, out, outOff + r * ldo + xb, L);
            }
        }
    }

    static void backwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                               Conv2dGeometry g) {
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int outC = g.outChannels(), outH = g.outHeight(), outW = g.outWidth();
        int hp = outH - 1 + g.kernelHeight(), wp = outW - 1 + g.kernelWidth();
        int oBlocks = (outC + GO - 1) / GO;
        int tBlocks = (k + GT - 1) / GT;
        int kp = tBlocks * GT;
        // Block rows past outC read channel 0 and taps past K read tap 0; their sums are never used.
        int[] taps = ConvLayouts.tapOffsets(g.inChannels(), g.kernelHeight(), g.kernelWidth(), hp, wp, kp);
        int[] starts = vectorStarts(outW);
        // keep[0, L) = 1 for whole vectors; keep[L, 2L) zeroes the lanes of the last, overlapping
        // vector that the one before it already summed.
        float[] keep = new float[2 * L];
        int overlap = starts.length > 1 ? starts[starts.length - 2] + L - starts[starts.length - 1] : 0;
        for (int l = 0; l < 2 * L; l++) {
            keep[l] = l >= L && l - L < overlap ? 0f : 1f;
        }
        int inSize = g.inChannels() * g.inHeight() * g.inWidth();
        int positions = outH * outW;
        int outSize = outC * positions;
        int batch = g.batch();
        int chunks = Math.min(batch, VectorConv2d.FILTER_CHUNKS);
        // Groups of output-channel blocks when the chunks alone are too few tasks.
        int wanted = Math.min(oBlocks, (VectorConv2d.FILTER_TASKS + chunks - 1) / chunks);
        int perGroup = (oBlocks + wanted - 1) / wanted;
        int groups = (oBlocks + perGroup - 1) / perGroup;
        int biasAt = oBlocks * GO * kp * L;
        // partial[c] = [lane sums (o, t, lane) over the images of chunk c | gradBias (outC)].
        float[][] partial = partials(chunks, biasAt + outC);
        CpuThreads.forEach(chunks * groups, task -> {
            int chunk = task / groups;
            int group = task % groups;
            int from = (int) ((long) chunk * batch / chunks);
            int to = (int) ((long) (chunk + 1) * batch / chunks);
            float[] sums = partial[chunk];
            int b0 = group * perGroup;
            int b1 = Math.min(oBlocks, b0 + perGroup);
            java.util.Arrays.fill(sums, b0 * GO * kp * L, b1 * GO * kp * L, 0f);
            for (int n = from; n < to; n++) {
                float[] image = paddedImage(input, n * inSize, g, hp, wp);
                for (int b = b0; b < b1; b++) {
                    int o0 = b * GO;
                    int last = outC - 1 - o0;                 // rows past outC repeat the block's first channel
                    int g0 = n * outSize + o0 * positions;
                    int g1 = g0 + (last >= 1 ? positions : 0);
                    int g2 = g0 + (last >= 2 ? 2 * positions : 0);
                    int g3 = g0 + (last >= 3 ? 3 * positions : 0);
                    for (int tb = 0; tb < tBlocks; tb++) {
                        int t0 = tb * GT;
                        for (int v = 0; v < starts.length; v++) {
                            int x0 = starts[v];
                            block4x5(sums, (o0 * kp + t0) * L, kp * L, gradOutput, g0 + x0, g1 + x0, g2 + x0,
                                    g3 + x0, outW, image, taps[t0] + x0, taps[t0 + 1] + x0, taps[t0 + 2] + x0,
                                    taps[t0 + 3] + x0, taps[t0 + 4] + x0, wp, outH, keep, v == starts.length - 1 ? L : 0);
                        }
                    }
                }
                for (int o = b0 * GO; o < Math.min(outC, b1 * GO); o++) {
                    float total = VectorConv2d.sum(gradOutput, n * outSize + o * positions, positions);
                    sums[biasAt + o] = n == from ? total : sums[biasAt + o] + total;
                }
            }
        });
        float[] total = partial[0];
        for (int c = 1; c < chunks; c++) {
            VectorConv2d.addInto(total, 0, partial[c], 0, biasAt + outC);
        }
        for (int o = 0; o < outC; o++) {
            for (int t = 0; t < k; t++) {
                gradWeight[o * k + t] = VectorLaneSum.inOrder(FloatVector.fromArray(F, total, (o * kp + t) * L));
            }
        }
        if (gradBias != null) {
            System.arraycopy(total, biasAt, gradBias, 0, outC);
        }
    }

    /**
     * acc[r, t, lane] (at c[cOff + r·ldc + t·L]) += keep[keepOff + lane] · Σ over output rows y of
     * gradOutput[g_r + y·outW + lane] · src[t_t + y·wp + lane]: one vector of columns of every row.
     * keep zeroes the lanes that an overlapping last vector shares with the one before it (a
     * non-finite input there turns an infinite sum into NaN, never a finite one into anything else).
     */
    private static void block4x5(float[] c, int cOff, int ldc, float[] grad, int g0, int g1, int g2, int g3,
                                 int outW, float[] src, int t0, int t1, int t2, int t3, int t4, int wp, int outH,
                                 float[] keep, int keepOff) {
        int r0 = cOff;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00;
        for (int y = 0, gx = 0, sx = 0; y < outH; y++, gx += outW, sx += wp) {
            FloatVector p0 = FloatVector.fromArray(F, src, t0 + sx);
            FloatVector p1 = FloatVector.fromArray(F, src, t1 + sx);
            FloatVector p2 = FloatVector.fromArray(F, src, t2 + sx);
            FloatVector p3 = FloatVector.fromArray(F, src, t3 + sx);
            FloatVector p4 = FloatVector.fromArray(F, src, t4 + sx);
            FloatVector q = FloatVector.fromArray(F, grad, g0 + gx);
            a00 = q.fma(p0, a00);
            a01 = q.fma(p1, a01);
            a02 = q.fma(p2, a02);
            a03 = q.fma(p3, a03);
            a04 = q.fma(p4, a04);
            q = FloatVector.fromArray(F, grad, g1 + gx);
            a10 = q.fma(p0, a10);
            a11 = q.fma(p1, a11);
            a12 = q.fma(p2, a12);
            a13 = q.fma(p3, a13);
            a14 = q.fma(p4, a14);
            q = FloatVector.fromArray(F, grad, g2 + gx);
            a20 = q.fma(p0, a20);
            a21 = q.fma(p1, a21);
            a22 = q.fma(p2, a22);
            a23 = q.fma(p3, a23);
            a24 = q.fma(p4, a24);
            q = FloatVector.fromArray(F, grad, g3 + gx);
            a30 = q.fma(p0, a30);
            a31 = q.fma(p1, a31);
            a32 = q.fma(p2, a32);
            a33 = q.fma(p3, a33);
            a34 = q.fma(p4, a34);
        }
        FloatVector w = FloatVector.fromArray(F, keep, keepOff);
        int r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        a00.fma(w, FloatVector.fromArray(F, c, r0)).intoArray(c, r0);
        a01.fma(w, FloatVector.fromArray(F, c, r0 + L)).intoArray(c, r0 + L);
        a02.fma(w, FloatVector.fromArray(F, c, r0 + 2 * L)).intoArray(c, r0 + 2 * L);
        a03.fma(w, FloatVector.fromArray(F, c, r0 + 3 * L)).intoArray(c, r0 + 3 * L);
        a04.fma(w, FloatVector.fromArray(F, c, r0 + 4 * L)).intoArray(c, r0 + 4 * L);
        a10.fma(w, FloatVector.fromArray(F, c, r1)).intoArray(c, r1);
        a11.fma(w, FloatVector.fromArray(F, c, r1 + L)).intoArray(c, r1 + L);
        a12.fma(w, FloatVector.fromArray(F, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
        a13.fma(w, FloatVector.fromArray(F, c, r1 + 3 * L)).intoArray(c, r1 + 3 * L);
        a14.fma(w, FloatVector.fromArray(F, c, r1 + 4 * L)).intoArray(c, r1 + 4 * L);
        a20.fma(w, FloatVector.fromArray(F, c, r2)).intoArray(c, r2);
        a21.fma(w, FloatVector.fromArray(F, c, r2 + L)).intoArray(c, r2 + L);
        a22.fma(w, FloatVector.fromArray(F, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
        a23.fma(w, FloatVector.fromArray(F, c, r2 + 3 * L)).intoArray(c, r2 + 3 * L);
        a24.fma(w, FloatVector.fromArray(F, c, r2 + 4 * L)).intoArray(c, r2 + 4 * L);
        a30.fma(w, FloatVector.fromArray(F, c, r3)).intoArray(c, r3);
        a31.fma(w, FloatVector.fromArray(F, c, r3 + L)).intoArray(c, r3 + L);
        a32.fma(w, FloatVector.fromArray(F, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
        a33.fma(w, FloatVector.fromArray(F, c, r3 + 3 * L)).intoArray(c, r3 + 3 * L);
        a34.fma(w, FloatVector.fromArray(F, c, r3 + 4 * L)).intoArray(c, r3 + 4 * L);
    }

    /** The image at input[inOffset], zero-padded into hp × wp planes. */
    private static float[] paddedImage(float[] input, int inOffset, Conv2dGeometry g, int hp, int wp) {
        float[] image = scratch(PADDED, g.inChannels() * hp * wp);
        ConvLayouts.pad(image, 0, input, inOffset, g.inChannels(), g.inHeight(), g.inWidth(), g.padding(),
                g.padding(), hp, wp);
        return image;
    }

    private static float[] scratch(ThreadLocal<float[][]> holder, int size) {
        float[][] h = holder.get();
        if (h[0].length < size) {
            h[0] = new float[size];
        }
        return h[0];
    }

    /** count buffers of at least size floats, owned by the calling thread and reused across calls. */
    private static float[][] partials(int count, int size) {
        float[][][] h = PARTIAL.get();
        if (h[0].length < count || h[0][0].length < size) {
            float[][] fresh = new float[Math.max(count, h[0].length)][];
            int length = Math.max(size, h[0].length > 0 ? h[0][0].length : 0);
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = new float[length];
            }
            h[0] = fresh;
        }
        return h[0];
    }
}
