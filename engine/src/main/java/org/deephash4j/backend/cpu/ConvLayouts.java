package org.deephash4j.backend.cpu;

/**
 * The data layouts the indirect convolution reads ({@link VectorConv2d}, {@link VectorIndirectGemm}):
 * zero-padded images, the two offset tables that stand in for the im2col matrix, weights packed
 * tap-major, and channel-major planes turned position-major. Plain loops: each of these touches
 * every element once, against hundreds of multiply-adds per element in the product.
 *
 * <p>Column blocks: output channels are covered by blocks of {@code 4·L} floats (on 512-bit
 * species) and then blocks of {@code 2·L}, zero-padded past the last channel;
 * {@link #paddedColumns} is their total width and a block starting at channel c0 is
 * {@link #blockVectors}{@code (c0, channels)} vectors wide.
 */
final class ConvLayouts {
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
     */
    static void packTapMajor(float[] packed, float[] weight, int outC, int k) {
        for (int c0 = 0; c0 < outC; ) {
            int width = VectorIndirectGemm.width(blockVectors(c0, outC));
            int base = k * c0;
            int real = Math.min(width, outC - c0);
            for (int t = 0; t < k; t++) {
                int row = base + t * width;
                for (int j = 0; j < real; j++) {
                    packed[row + j] = weight[(c0 + j) * k + t];
                }
                java.util.Arrays.fill(packed, row + real, row + width, 0f);
            }
            c0 += width;
        }
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
        int k = outC * rows.length * cols.length;
        for (int c0 = 0; c0 < inC; ) {
            int width = VectorIndirectGemm.width(blockVectors(c0, inC));
            int base = k * c0;
            int real = Math.min(width, inC - c0);
            for (int o = 0; o < outC; o++) {
                for (int d = 0; d < rows.length; d++) {
                    for (int e = 0; e < cols.length; e++) {
                        int row = base + ((o * rows.length + d) * cols.length + e) * width;
                        for (int c = 0; c < real; c++) {
                            packed[row + c] = weight[((o * inC + c0 + c) * kh + rows[d]) * kw + cols[e]];
                        }
                        java.util.Arrays.fill(packed, row + real, row + width, 0f);
                    }
                }
            }
            c0 += width;
        }
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
