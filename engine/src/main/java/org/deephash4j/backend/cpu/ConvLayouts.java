package org.deephash4j.backend.cpu;

/**
 * The data layouts the indirect convolution reads ({@link VectorConv2d}, {@link VectorIndirectGemm}):
 * zero-padded images, the two offset tables that stand in for the im2col matrix, weights packed
 * tap-major, and channel-major planes turned position-major. Plain loops: each of these touches
 * every element once, against hundreds of multiply-adds per element in the product. The weight
 * packings are the exception that runs over {@link CpuThreads}: they are one serial transpose
 * per batch, and at ResNet's last stage (2.4M weights, 16 positions an image) they cost a
 * noticeable part of the product.
 *
 * <p>Column blocks: output channels are covered by blocks of {@code 4·L} floats (on 512-bit
 * species) and then blocks of {@code 2·L}, zero-padded past the last channel;
 * {@link #paddedColumns} is their total width and a block starting at channel c0 is
 * {@link #blockVectors}{@code (c0, channels)} vectors wide.
 */
final class ConvLayouts {
    /** {@link #packTapMajor}: taps per pass over a column block's channels. */
    private static final int PACK_TAPS = 16;
    /** {@link #packTaps}: output channels per task. */
    private static final int PACK_CHANNELS = 16;

    private ConvLayouts() {
    }

    /** Vectors of the column block starting at channel c0 of {@code channels}. */
    static int blockVectors(int c0, int channels) {
        int wide = VectorIndirectGemm.WIDE;
        return wide == 4 && channels - c0 >= VectorIndirectGemm.width(4) ? 4 : 2;
    }

    /** Total width of the column blocks covering {@code channels}: a multiple of 2·L. */
    static int paddedColumns(int channels) {
        int total = 0;
        for (int c0 = 0; c0 < channels; ) {
            int width = VectorIndirectGemm.width(blockVectors(c0, channels));
            total += width;
            c0 += width;
        }
        return total;
    }

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /**
     * dst[dstOff + (c·hp + y + padTop)·wp + x + padLeft] = src[srcOff + (c·h + y)·w + x] for the
     * source pixels that land inside the hp × wp padded planes, zero everywhere else.
     */
    static void pad(float[] dst, int dstOff, float[] src, int srcOff, int channels, int h, int w,
                    int padTop, int padLeft, int hp, int wp) {
        int rows = Math.min(h, hp - padTop);
        int cols = Math.min(w, wp - padLeft);
        for (int c = 0; c < channels; c++) {
            int plane = dstOff + c * hp * wp;
            java.util.Arrays.fill(dst, plane, plane + padTop * wp, 0f);
            for (int y = 0; y < rows; y++) {
                int row = plane + (y + padTop) * wp;
                java.util.Arrays.fill(dst, row, row + padLeft, 0f);
                System.arraycopy(src, srcOff + (c * h + y) * w, dst, row + padLeft, cols);
                java.util.Arrays.fill(dst, row + padLeft + cols, row + wp, 0f);
            }
            java.util.Arrays.fill(dst, plane + (rows + padTop) * wp, plane + hp * wp, 0f);
        }
    }

    /**
     * Offsets of the output positions in a padded plane of width wp: entry y·outW + x is
     * {@code y·stride·wp + x·stride}; {@code count - outH·outW} extra entries (to fill the last
     * register block) repeat offset 0.
     */
    static int[] positionOffsets(int outH, int outW, int stride, int wp, int count) {
        int[] offsets = new int[count];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                offsets[y * outW + x] = y * stride * wp + x * stride;
            }
        }
        return offsets;
    }

    /**
     * Offsets of the kernel taps in a padded image of hp × wp planes: entry (c·kh + i)·kw + j is
     * {@code c·hp·wp + i·wp + j}; extra entries up to {@code count} repeat offset 0.
     */
    static int[] tapOffsets(int channels, int kh, int kw, int hp, int wp, int count) {
        int[] offsets = new int[count];
        int t = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    offsets[t++] = c * hp * wp + i * wp + j;
                }
            }
        }
        return offsets;
    }

    /**
     * Weights [outC, K] (K = inC·kh·kw) packed tap-major by column blocks: the block starting at
     * channel c0 of width bw holds {@code packed[K·c0 + k·bw + j] = weight[(c0 + j)·K + k]}, zero
     * for channels past outC.
     *
     * <p>A transpose of the whole weight, once per batch; ResNet-18's step packs 11M weights this
     * way and as {@link #packTaps}. Column blocks are tasks over {@link CpuThreads}, and each goes
     * {@link #PACK_TAPS} taps at a time: every weight row gives one run of floats, and the rows of
     * {@code packed} they land in stay in L1 until all the block's channels have filled them.
     * (Down a column, channel by channel, the 512 rows of a 4608-tap weight lie 18 KiB apart,
     * which falls into two sets of L1, and every read missed.)
     */
    static void packTapMajor(float[] packed, float[] weight, int outC, int k) {
        int[] starts = blockStarts(outC);
        CpuThreads.forEach(starts.length, block -> {
            int c0 = starts[block];
            int width = VectorIndirectGemm.width(blockVectors(c0, outC));
            int base = k * c0;
            int real = Math.min(width, outC - c0);
            for (int t0 = 0; t0 < k; t0 += PACK_TAPS) {
                int t1 = Math.min(k, t0 + PACK_TAPS);
                for (int j = 0; j < real; j++) {
                    int row = (c0 + j) * k;
                    for (int t = t0; t < t1; t++) {
                        packed[base + t * width + j] = weight[row + t];
                    }
                }
                for (int t = t0; t < t1; t++) {
                    java.util.Arrays.fill(packed, base + t * width + real, base + (t + 1) * width, 0f);
                }
            }
        });
    }

    /** The first channel of each column block covering {@code channels}. */
    private static int[] blockStarts(int channels) {
        int[] starts = new int[channels];
        int count = 0;
        for (int c0 = 0; c0 < channels; c0 += VectorIndirectGemm.width(blockVectors(c0, channels))) {
            starts[count++] = c0;
        }
        return java.util.Arrays.copyOf(starts, count);
    }

    /**
     * The weights of the transposed convolution (backward-data at stride 1), packed as
     * {@link #packTapMajor} packs a forward weight: taps (o, i, j) of the output-gradient image,
     * columns the input channels c, value {@code weight[o, c, kh-1-i, kw-1-j]} (the kernel turned
     * by 180 degrees).
     */
    static void packFlipped(float[] packed, float[] weight, int outC, int inC, int kh, int kw) {
        packTaps(packed, weight, outC, inC, kh, kw, descending(kh), descending(kw));
    }

    /**
     * Part of the kernel, packed as {@link #packFlipped} packs all of it: taps (o, d, e) for
     * d &lt; rows.length and e &lt; cols.length, columns the input channels c, value
     * {@code weight[o, c, rows[d], cols[e]]}. Backward-data at a stride above 1 packs one such
     * sub-kernel per phase of the input (see {@code VectorConv2d}).
     */
    static void packTaps(float[] packed, float[] weight, int outC, int inC, int kh, int kw, int[] rows, int[] cols) {
        int taps = rows.length * cols.length;
        int k = outC * taps;
        int[] starts = blockStarts(inC);
        int chunks = (outC + PACK_CHANNELS - 1) / PACK_CHANNELS;
        // Tasks: a column block (input channels) × a chunk of output channels. A row of packed is
        // one tap of one o for the block's channels, read kh·kw floats apart from one run of weight.
        CpuThreads.forEach(starts.length * chunks, task -> {
            int c0 = starts[task / chunks];
            int o0 = task % chunks * PACK_CHANNELS;
            int o1 = Math.min(outC, o0 + PACK_CHANNELS);
            int width = VectorIndirectGemm.width(blockVectors(c0, inC));
            int base = k * c0;
            int real = Math.min(width, inC - c0);
            for (int o = o0; o < o1; o++) {
                for (int d = 0; d < rows.length; d++) {
                    for (int e = 0; e < cols.length; e++) {
                        int row = base + (o * taps + d * cols.length + e) * width;
                        int tap = (o * inC + c0) * kh * kw + rows[d] * kw + cols[e];
                        for (int c = 0; c < real; c++) {
                            packed[row + c] = weight[tap + c * kh * kw];
                        }
                        java.util.Arrays.fill(packed, row + real, row + width, 0f);
                    }
                }
            }
        });
    }

    /** {n-1, n-2, ..., 0}: the taps of a kernel axis turned by 180 degrees. */
    private static int[] descending(int n) {
        int[] taps = new int[n];
        for (int d = 0; d < n; d++) {
            taps[d] = n - 1 - d;
        }
        return taps;
    }

    /**
     * dst[dstOff + p·ld + c] = src[srcOff + c·positions + p] for c &lt; channels, zero for c in
     * [channels, ld): a [channels, positions] plane turned position-major.
     */
    static void transpose(float[] dst, int dstOff, int ld, float[] src, int srcOff, int channels, int positions) {
        for (int p = 0; p < positions; p++) {
            java.util.Arrays.fill(dst, dstOff + p * ld + channels, dstOff + p * ld + ld, 0f);
        }
        for (int c = 0; c < channels; c++) {
            int from = srcOff + c * positions;
            for (int p = 0; p < positions; p++) {
                dst[dstOff + p * ld + c] = src[from + p];
            }
        }
    }
}
