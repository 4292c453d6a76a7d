package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.Conv2dGeometry;

/**
 * 2-D convolution, NCHW: the same contracts as {@code ReferenceConv2d} (see
 * {@code Backend.conv2dForward} and the two backwards), computed without an im2col matrix.
 *
 * <p>Each pass is one {@link VectorIndirectGemm} product per image over a zero-padded copy of the
 * image (layouts in {@link ConvLayouts}); vectors run along output channels:
 * <ul>
 *   <li>forward: {@code out_nᵀ[P × outC] = colᵀ · Wᵀ}, rows = output positions, steps = kernel
 *       taps (c, i, j), B = the weights packed tap-major once per batch; the block is written back
 *       channel-major with the bias added;</li>
 *   <li>backward-data at stride 1: the same product on the output gradient padded by
 *       {@code k - 1 - pad}, with the kernel turned by 180 degrees and its two channel axes swapped
 *       (the transposed convolution is a convolution); other strides use
 *       {@link VectorIm2colConv2d};</li>
 *   <li>backward-filter: {@code gradWᵀ[K × outC] = Σ_n col_n · gradOutput_nᵀ}, rows = taps,
 *       steps = output positions, B = the image's output gradient turned position-major.</li>
 * </ul>
 * Stride-1 convolutions with few taps per output (LeNet's first layer) go to {@link VectorRowConv2d}
 * for forward and backward-filter, with vectors along output rows instead.
 * 1×1 convolutions at stride 1 without padding go to {@link VectorIm2colConv2d}, where the image
 * is its own col matrix and the product is a plain GEMM, and so do passes that produce fewer
 * channels than one vector holds (backward-data of a one-channel input): their column blocks
 * would be mostly padding.
 *
 * <p>Threads: forward and backward-data give each image to one task ({@link CpuThreads} hands the
 * tasks out as threads come free, so a slowed core takes fewer). Backward-filter sums over the
 * batch: the batch is cut into at most {@link #FILTER_CHUNKS} fixed chunks (and the taps into row
 * groups when chunks are few), each chunk sums its images in order into its own buffer, and the
 * chunks are added in chunk order. The cut depends only on the shapes, so every pass gives the
 * same bits for any thread count.
 */
final class VectorConv2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int MR = VectorIndirectGemm.MR;
    /** One slab of B holds at most this many floats (256 KiB): it stays in L2 while every row block reads it. */
    private static final int SLAB_FLOATS = 1 << 16;
    /** Backward-filter: fixed chunks of the batch, each with its own partial sum. */
    static final int FILTER_CHUNKS = 16;
    /** Backward-filter: at least this many tasks (chunks × row groups) when the taps allow it. */
    static final int FILTER_TASKS = 16;
    /** Backward-filter: floats of all partial sums together (64 MiB); fewer chunks above it. */
    private static final int PARTIAL_BUDGET = 1 << 24;

    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> COLUMNS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][][]> PARTIAL = ThreadLocal.withInitial(() -> new float[1][0][]);

    private VectorConv2d() {
    }

    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        if (!isPointwise(g) && VectorRowConv2d.applies(g)) {
            VectorRowConv2d.forward(output, input, weight, bias, g);
            return;
        }
        if (isPointwise(g) || g.outChannels() < F.length()) {
            VectorIm2colConv2d.forward(output, input, weight, bias, g);
            return;
        }
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        float[] packed = scratch(PACKED, k * ConvLayouts.paddedColumns(g.outChannels()));
        ConvLayouts.packTapMajor(packed, weight, g.outChannels(), k);
        correlate(output, input, packed, bias, g.batch(), g.inChannels(), g.inHeight(), g.inWidth(),
                g.padding(), g.padding(), g.kernelHeight(), g.kernelWidth(), g.stride(),
                g.outChannels(), g.outHeight(), g.outWidth());
    }

    static void backwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        int kh = g.kernelHeight(), kw = g.kernelWidth(), pad = g.padding();
        if (isPointwise(g) || g.inChannels() < F.length() || g.stride() != 1 || pad > kh - 1 || pad > kw - 1) {
            VectorIm2colConv2d.backwardData(gradInput, gradOutput, weight, g);
            return;
        }
        int k = g.outChannels() * kh * kw;
        float[] packed = scratch(PACKED, k * ConvLayouts.paddedColumns(g.inChannels()));
        ConvLayouts.packFlipped(packed, weight, g.outChannels(), g.inChannels(), kh, kw);
        // At stride 1, gradInput = gradOutput (padded by k - 1 - pad) correlated with the turned kernel.
        correlate(gradInput, gradOutput, packed, null, g.batch(), g.outChannels(), g.outHeight(), g.outWidth(),
                kh - 1 - pad, kw - 1 - pad, kh, kw, 1, g.inChannels(), g.inHeight(), g.inWidth());
    }

    /**
     * out[n, o, y, x] = bias[o] + Σ_{c, i, j} B[(c·kh + i)·kw + j, o] · padded_n[c, y·stride + i, x·stride + j]
     * for images src [batch, channels, h, w] zero-padded by padTop and padLeft, B packed by
     * {@link ConvLayouts#packTapMajor}; out is [batch, outC, outH, outW].
     */
    private static void correlate(float[] out, float[] src, float[] packed, float[] bias, int batch,
                                  int channels, int h, int w, int padTop, int padLeft, int kh, int kw, int stride,
                                  int outC, int outH, int outW) {
        // The padded plane holds exactly the rows and columns the kernel reads.
        int hp = (outH - 1) * stride + kh;
        int wp = (outW - 1) * stride + kw;
        int k = channels * kh * kw;
        int positions = outH * outW;
        int rows = ConvLayouts.roundUp(positions, MR);
        int[] rowOffset = ConvLayouts.positionOffsets(outH, outW, stride, wp, rows);
        int[] stepOffset = ConvLayouts.tapOffsets(channels, kh, kw, hp, wp, k);
        int inSize = channels * h * w;
        int outSize = outC * positions;
        CpuThreads.forEach(batch, n -> {
            float[] image = scratch(PADDED, channels * hp * wp);
            ConvLayouts.pad(image, src, n * inSize, channels, h, w, padTop, padLeft, hp, wp);
            for (int c0 = 0; c0 < outC; ) {
                int vectors = ConvLayouts.blockVectors(c0, outC);
                int width = VectorIndirectGemm.width(vectors);
                int real = Math.min(width, outC - c0);
                int base = n * outSize + c0 * positions;
                int kc = Math.max(1, SLAB_FLOATS / width);
                if (k <= kc) {
                    // One slab: each register block goes to the output while its tile is in L1.
                    float[] tile = scratch(COLUMNS, MR * width);
                    for (int r = 0; r < rows; r += MR) {
                        VectorIndirectGemm.block(vectors, tile, 0, width, true, image, rowOffset, r,
                                stepOffset, 0, k, packed, k * c0, width);
                        storeTransposed(out, base, positions, tile, 0, width, r, Math.min(MR, positions - r), real,
                                bias, c0);
                    }
                } else {
                    // Several slabs: out_nᵀ for this block of channels is summed slab by slab, then stored.
                    float[] tile = scratch(COLUMNS, rows * width);
                    for (int s0 = 0; s0 < k; s0 += kc) {
                        int s1 = Math.min(k, s0 + kc);
                        for (int r = 0; r < rows; r += MR) {
                            VectorIndirectGemm.block(vectors, tile, r * width, width, s0 == 0, image, rowOffset, r,
                                    stepOffset, s0, s1, packed, k * c0, width);
                        }
                    }
                    storeTransposed(out, base, positions, tile, 0, width, 0, positions, real, bias, c0);
                }
                c0 += width;
            }
        });
    }

    /**
     * out[base + j·positions + p0 + i] = tile[tileOff + i·width + j] + bias[c0 + j] for i &lt; count,
     * j &lt; real: a block of positions × channels written back channel-major.
     */
    private static void storeTransposed(float[] out, int base, int positions, float[] tile, int tileOff, int width,
                                        int p0, int count, int real, float[] bias, int c0) {
        for (int j = 0; j < real; j++) {
            float b = bias == null ? 0f : bias[c0 + j];
            int dst = base + j * positions + p0;
            for (int i = 0, t = tileOff + j; i < count; i++, t += width) {
                out[dst + i] = tile[t] + b;
            }
        }
    }

    static void backwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                               Conv2dGeometry g) {
        if (!isPointwise(g) && VectorRowConv2d.applies(g)) {
            VectorRowConv2d.backwardFilter(gradWeight, gradBias, gradOutput, input, g);
            return;
        }
        if (isPointwise(g) || g.outChannels() < F.length()) {
            VectorIm2colConv2d.backwardFilter(gradWeight, gradBias, gradOutput, input, g);
            return;
        }
        int kh = g.kernelHeight(), kw = g.kernelWidth(), s = g.stride(), pad = g.padding();
        int inC = g.inChannels(), outC = g.outChannels(), outH = g.outHeight(), outW = g.outWidth();
        int hp = (outH - 1) * s + kh;
        int wp = (outW - 1) * s + kw;
        int k = inC * kh * kw;
        int rows = ConvLayouts.roundUp(k, MR);
        int positions = outH * outW;
        int cols = ConvLayouts.paddedColumns(outC);
        int inSize = inC * g.inHeight() * g.inWidth();
        int outSize = outC * positions;
        int[] rowOffset = ConvLayouts.tapOffsets(inC, kh, kw, hp, wp, rows);
        int[] stepOffset = ConvLayouts.positionOffsets(outH, outW, s, wp, positions);
        int batch = g.batch();
        int chunks = Math.max(1, Math.min(Math.min(batch, FILTER_CHUNKS), PARTIAL_BUDGET / (rows * cols)));
        int rowBlocks = rows / MR;
        int perGroup = ceilDiv(rowBlocks, Math.min(rowBlocks, ceilDiv(FILTER_TASKS, chunks)));
        int groups = ceilDiv(rowBlocks, perGroup);
        int biasAt = rows * cols;
        // partial[c] = [gradWᵀ (rows × cols) | gradBias (outC)] summed over the images of chunk c.
        float[][] partial = partials(chunks, biasAt + outC);
        CpuThreads.forEach(chunks * groups, task -> {
            int chunk = task / groups;
            int group = task % groups;
            int from = (int) ((long) chunk * batch / chunks);
            int to = (int) ((long) (chunk + 1) * batch / chunks);
            int r0 = group * perGroup * MR;
            int r1 = Math.min(rows, r0 + perGroup * MR);
            float[] sums = partial[chunk];
            float[] image = scratch(PADDED, inC * hp * wp);
            float[] columns = scratch(COLUMNS, positions * cols);   // gradOutput_nᵀ [positions × cols]
            for (int n = from; n < to; n++) {
                ConvLayouts.pad(image, input, n * inSize, inC, g.inHeight(), g.inWidth(), pad, pad, hp, wp);
                ConvLayouts.transpose(columns, cols, gradOutput, n * outSize, outC, positions);
                for (int c0 = 0; c0 < outC; ) {
                    int vectors = ConvLayouts.blockVectors(c0, outC);
                    int width = VectorIndirectGemm.width(vectors);
                    int kc = Math.max(1, SLAB_FLOATS / width);
                    for (int s0 = 0; s0 < positions; s0 += kc) {
                        int s1 = Math.min(positions, s0 + kc);
                        boolean first = n == from && s0 == 0;
                        for (int r = r0; r < r1; r += MR) {
                            VectorIndirectGemm.block(vectors, sums, r * cols + c0, cols, first, image, rowOffset, r,
                                    stepOffset, s0, s1, columns, c0, cols);
                        }
                    }
                    c0 += width;
                }
                if (group == 0) {
                    for (int o = 0; o < outC; o++) {
                        float total = sum(gradOutput, n * outSize + o * positions, positions);
                        sums[biasAt + o] = n == from ? total : sums[biasAt + o] + total;
                    }
                }
            }
        });
        // gradW[o, t] = Σ_c partial[c][t, o], chunks added in chunk order (vectors along o, then turned).
        float[] total = partial[0];
        for (int c = 1; c < chunks; c++) {
            addInto(total, 0, partial[c], 0, biasAt + outC);
        }
        for (int o = 0; o < outC; o++) {
            for (int t = 0; t < k; t++) {
                gradWeight[o * k + t] = total[t * cols + o];
            }
        }
        if (gradBias != null) {
            System.arraycopy(total, biasAt, gradBias, 0, outC);
        }
    }

    /** A 1×1 kernel, stride 1, no padding: the input image is its own col matrix. */
    private static boolean isPointwise(Conv2dGeometry g) {
        return g.kernelHeight() == 1 && g.kernelWidth() == 1 && g.stride() == 1 && g.padding() == 0;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** y[yOff + i] += x[xOff + i] for i in [0, n). */
    static void addInto(float[] y, int yOff, float[] x, int xOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) {
            FloatVector.fromArray(F, y, yOff + i).add(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            // One masked vector for the tail: col2im's runs are image rows (14 or 28 floats),
            // shorter than or just past one 16-lane vector, so a scalar tail would do most of the work.
            VectorMask<Float> tail = F.indexInRange(i, n);
            FloatVector.fromArray(F, y, yOff + i, tail).add(FloatVector.fromArray(F, x, xOff + i, tail))
                    .intoArray(y, yOff + i, tail);
        }
    }

    /** Σ x[off + i] for i in [0, n): lanes added in lane order, then the scalar tail. */
    static float sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, x, off + i));
        }
        float s = LaneSum.inOrder(acc);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
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
