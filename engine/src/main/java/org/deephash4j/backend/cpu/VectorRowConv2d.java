package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 *       stored in place with the bias (masked past the row's end);</li>
 *   <li>backward-filter: a block of 4 output channels × 5 taps accumulates
 *       {@code gradOutput[o, row] · padded[tap + row]} lane-wise over every row of every image of
 *       a chunk; the lanes are added (in lane order) once, when the chunks are combined.</li>
 * </ul>
 * Loads past the end of a row read the next row or the zero slack after the padded image; the
 * lanes they feed are masked off (backward-filter masks both operands, so a NaN there cannot leak).
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
    private static final ThreadLocal<float[][][]> PARTIAL = ThreadLocal.withInitial(() -> new float[1][0][]);

    private VectorRowConv2d() {
    }

    /** Stride 1, few taps, and output rows at least half a vector long. */
    static boolean applies(Conv2dGeometry g) {
        return g.stride() == 1 && g.inChannels() * g.kernelHeight() * g.kernelWidth() <= MAX_TAPS
                && 2 * g.outWidth() >= L;
    }

    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int outC = g.outChannels(), outH = g.outHeight(), outW = g.outWidth();
        int hp = outH - 1 + g.kernelHeight(), wp = outW - 1 + g.kernelWidth();
        int blocks = (outC + OR - 1) / OR;
        // packed[b·K·OR + t·OR + r] = weight[b·OR + r, t], zero past outC.
        float[] packed = scratch(PACKED, blocks * k * OR);
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < k; t++) {
                for (int r = 0; r < OR; r++) {
                    int o = b * OR + r;
                    packed[(b * k + t) * OR + r] = o < outC ? weight[o * k + t] : 0f;
                }
            }
        }
        int[] taps = ConvLayouts.tapOffsets(g.inChannels(), g.kernelHeight(), g.kernelWidth(), hp, wp, k);
        int inSize = g.inChannels() * g.inHeight() * g.inWidth();
        int positions = outH * outW;
        CpuThreads.forEach(g.batch(), n -> {
            float[] image = paddedImage(input, n * inSize, g, hp, wp);
            for (int b = 0; b < blocks; b++) {
                int rows = Math.min(OR, outC - b * OR);
                for (int y = 0; y < outH; y++) {
                    for (int x0 = 0; x0 < outW; x0 += 2 * L) {
                        block8x2(output, (n * outC + b * OR) * positions + y * outW + x0, positions, rows,
                                Math.min(2 * L, outW - x0), packed, b * k * OR, image, y * wp + x0, taps, k,
                                bias, b * OR);
                    }
                }
            }
        });
    }

    /**
     * out[outOff + r·ldo + x] = bias[o0 + r] + Σ_t A[t, r] · src[base + taps[t] + x] for r &lt; rows
     * and x &lt; width (≤ 2L); A is the tap-major pack at aOff.
     */
    private static void block8x2(float[] out, int outOff, int ldo, int rows, int width, float[] a, int aOff,
                                 float[] src, int base, int[] taps, int k, float[] bias, int o0) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int ai = aOff;
        for (int t = 0; t < k; t++, ai += OR) {
            int at = base + taps[t];
            FloatVector b0 = FloatVector.fromArray(F, src, at);
            FloatVector b1 = FloatVector.fromArray(F, src, at + L);
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
        VectorMask<Float> m0 = F.indexInRange(0, width);
        VectorMask<Float> m1 = F.indexInRange(L, width);
        c00.add(bias == null ? 0f : bias[o0]).intoArray(out, outOff, m0);
        c01.add(bias == null ? 0f : bias[o0]).intoArray(out, outOff + L, m1);
        if (rows > 1) {
            float b = bias == null ? 0f : bias[o0 + 1];
            c10.add(b).intoArray(out, outOff + ldo, m0);
            c11.add(b).intoArray(out, outOff + ldo + L, m1);
        }
        if (rows > 2) {
            float b = bias == null ? 0f : bias[o0 + 2];
            c20.add(b).intoArray(out, outOff + 2 * ldo, m0);
            c21.add(b).intoArray(out, outOff + 2 * ldo + L, m1);
        }
        if (rows > 3) {
            float b = bias == null ? 0f : bias[o0 + 3];
            c30.add(b).intoArray(out, outOff + 3 * ldo, m0);
            c31.add(b).intoArray(out, outOff + 3 * ldo + L, m1);
        }
        if (rows > 4) {
            float b = bias == null ? 0f : bias[o0 + 4];
            c40.add(b).intoArray(out, outOff + 4 * ldo, m0);
            c41.add(b).intoArray(out, outOff + 4 * ldo + L, m1);
        }
        if (rows > 5) {
            float b = bias == null ? 0f : bias[o0 + 5];
            c50.add(b).intoArray(out, outOff + 5 * ldo, m0);
            c51.add(b).intoArray(out, outOff + 5 * ldo + L, m1);
        }
        if (rows > 6) {
            float b = bias == null ? 0f : bias[o0 + 6];
            c60.add(b).intoArray(out, outOff + 6 * ldo, m0);
            c61.add(b).intoArray(out, outOff + 6 * ldo + L, m1);
        }
        if (rows > 7) {
            float b = bias == null ? 0f : bias[o0 + 7];
            c70.add(b).intoArray(out, outOff + 7 * ldo, m0);
            c71.add(b).intoArray(out, outOff + 7 * ldo + L, m1);
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
                        for (int x0 = 0; x0 < outW; x0 += L) {
                            block4x5(sums, (o0 * kp + t0) * L, kp * L, gradOutput, g0 + x0, g1 + x0, g2 + x0,
                                    g3 + x0, outW, image, taps[t0] + x0, taps[t0 + 1] + x0, taps[t0 + 2] + x0,
                                    taps[t0 + 3] + x0, taps[t0 + 4] + x0, wp, outH, F.indexInRange(x0, outW));
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
                gradWeight[o * k + t] = LaneSum.inOrder(FloatVector.fromArray(F, total, (o * kp + t) * L));
            }
        }
        if (gradBias != null) {
            System.arraycopy(total, biasAt, gradBias, 0, outC);
        }
    }

    /**
     * acc[r, t, lane] (at c[cOff + r·ldc + t·L]) += Σ over output rows y of
     * gradOutput[g_r + y·outW + lane] · src[t_t + y·wp + lane] for the lanes of mask m (one chunk
     * of L columns of every row; the chunk loop is the caller's, which keeps this method small
     * enough for C1 to compile on its way to C2).
     */
    private static void block4x5(float[] c, int cOff, int ldc, float[] grad, int g0, int g1, int g2, int g3,
                                 int outW, float[] src, int t0, int t1, int t2, int t3, int t4, int wp, int outH,
                                 VectorMask<Float> m) {
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector a00 = FloatVector.fromArray(F, c, r0), a01 = FloatVector.fromArray(F, c, r0 + L);
        FloatVector a02 = FloatVector.fromArray(F, c, r0 + 2 * L), a03 = FloatVector.fromArray(F, c, r0 + 3 * L);
        FloatVector a04 = FloatVector.fromArray(F, c, r0 + 4 * L);
        FloatVector a10 = FloatVector.fromArray(F, c, r1), a11 = FloatVector.fromArray(F, c, r1 + L);
        FloatVector a12 = FloatVector.fromArray(F, c, r1 + 2 * L), a13 = FloatVector.fromArray(F, c, r1 + 3 * L);
        FloatVector a14 = FloatVector.fromArray(F, c, r1 + 4 * L);
        FloatVector a20 = FloatVector.fromArray(F, c, r2), a21 = FloatVector.fromArray(F, c, r2 + L);
        FloatVector a22 = FloatVector.fromArray(F, c, r2 + 2 * L), a23 = FloatVector.fromArray(F, c, r2 + 3 * L);
        FloatVector a24 = FloatVector.fromArray(F, c, r2 + 4 * L);
        FloatVector a30 = FloatVector.fromArray(F, c, r3), a31 = FloatVector.fromArray(F, c, r3 + L);
        FloatVector a32 = FloatVector.fromArray(F, c, r3 + 2 * L), a33 = FloatVector.fromArray(F, c, r3 + 3 * L);
        FloatVector a34 = FloatVector.fromArray(F, c, r3 + 4 * L);
        for (int y = 0, gx = 0, sx = 0; y < outH; y++, gx += outW, sx += wp) {
            FloatVector p0 = FloatVector.fromArray(F, src, t0 + sx, m);
            FloatVector p1 = FloatVector.fromArray(F, src, t1 + sx, m);
            FloatVector p2 = FloatVector.fromArray(F, src, t2 + sx, m);
            FloatVector p3 = FloatVector.fromArray(F, src, t3 + sx, m);
            FloatVector p4 = FloatVector.fromArray(F, src, t4 + sx, m);
            FloatVector q = FloatVector.fromArray(F, grad, g0 + gx, m);
            a00 = q.fma(p0, a00);
            a01 = q.fma(p1, a01);
            a02 = q.fma(p2, a02);
            a03 = q.fma(p3, a03);
            a04 = q.fma(p4, a04);
            q = FloatVector.fromArray(F, grad, g1 + gx, m);
            a10 = q.fma(p0, a10);
            a11 = q.fma(p1, a11);
            a12 = q.fma(p2, a12);
            a13 = q.fma(p3, a13);
            a14 = q.fma(p4, a14);
            q = FloatVector.fromArray(F, grad, g2 + gx, m);
            a20 = q.fma(p0, a20);
            a21 = q.fma(p1, a21);
            a22 = q.fma(p2, a22);
            a23 = q.fma(p3, a23);
            a24 = q.fma(p4, a24);
            q = FloatVector.fromArray(F, grad, g3 + gx, m);
            a30 = q.fma(p0, a30);
            a31 = q.fma(p1, a31);
            a32 = q.fma(p2, a32);
            a33 = q.fma(p3, a33);
            a34 = q.fma(p4, a34);
        }
        a00.intoArray(c, r0);
        a01.intoArray(c, r0 + L);
        a02.intoArray(c, r0 + 2 * L);
        a03.intoArray(c, r0 + 3 * L);
        a04.intoArray(c, r0 + 4 * L);
        a10.intoArray(c, r1);
        a11.intoArray(c, r1 + L);
        a12.intoArray(c, r1 + 2 * L);
        a13.intoArray(c, r1 + 3 * L);
        a14.intoArray(c, r1 + 4 * L);
        a20.intoArray(c, r2);
        a21.intoArray(c, r2 + L);
        a22.intoArray(c, r2 + 2 * L);
        a23.intoArray(c, r2 + 3 * L);
        a24.intoArray(c, r2 + 4 * L);
        a30.intoArray(c, r3);
        a31.intoArray(c, r3 + L);
        a32.intoArray(c, r3 + 2 * L);
        a33.intoArray(c, r3 + 3 * L);
        a34.intoArray(c, r3 + 4 * L);
    }

    /** The image at input[inOffset], zero-padded into hp × wp planes, with 2L floats of zero slack after it. */
    private static float[] paddedImage(float[] input, int inOffset, Conv2dGeometry g, int hp, int wp) {
        int size = g.inChannels() * hp * wp;
        float[] image = scratch(PADDED, size + 2 * L);
        ConvLayouts.pad(image, input, inOffset, g.inChannels(), g.inHeight(), g.inWidth(), g.padding(),
                g.padding(), hp, wp);
        java.util.Arrays.fill(image, size, size + 2 * L, 0f);
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
