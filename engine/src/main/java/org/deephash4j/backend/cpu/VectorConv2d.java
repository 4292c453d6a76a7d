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
 *       (the transposed convolution is a convolution); at a larger stride, one such product per
 *       phase of the input with the part of the kernel that reaches it
 *       ({@code backwardDataByPhases}), or {@link VectorIm2colConv2d} for a 1×1 kernel;</li>
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
 * <p>Small images are taken a few at a time ({@link #GROUP_ROWS}): their padded copies are laid
 * one after another and the offset tables span the group, so a group is one product whose rows
 * (forward) or steps (backward-filter) are the positions of all its images.
 *
 * <p>Threads: forward and backward-data give each image (or group) to one task ({@link CpuThreads}
 * hands the tasks out as threads come free, so a slowed core takes fewer). Backward-filter sums
 * over the batch: the batch is cut into at most {@link #FILTER_CHUNKS} fixed chunks (and the taps
 * into row groups when chunks are few), each chunk sums its images in order into its own buffer,
 * and the chunks are added in chunk order. Every output element is summed in an order fixed by
 * the shapes alone, so every pass gives the same bits for any thread count.
 */
final class VectorConv2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int MR = VectorIndirectGemm.MR;
    private static final int TALL = VectorIndirectGemm.TALL;
    /** One slab of B holds at most this many floats (256 KiB): it stays in L2 while every row block reads it. */
    private static final int SLAB_FLOATS = 1 << 16;
    /** Backward-filter: fixed chunks of the batch, each with its own partial sum. */
    static final int FILTER_CHUNKS = 16;
    /** Backward-filter: at least this many tasks (chunks × row groups) when the taps allow it. */
    static final int FILTER_TASKS = 16;
    /** Backward-filter: positions each chunk sums at least (fewer chunks for small images). */
    private static final int FILTER_STEPS = 1024;
    /** Positions a product should have at least: small images are taken several at a time. */
    private static final int GROUP_ROWS = 192;
    /** Backward-filter: floats of all partial sums together (64 MiB); fewer chunks above it. */
    static final int PARTIAL_BUDGET = 1 << 24;
    /** Backward-filter's final turn of gradWᵀ: output channels per task, and taps per block. */
    private static final int TURN_CHANNELS = 16;
    private static final int TURN_TAPS = 64;

    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> COLUMNS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][][]> PARTIAL = ThreadLocal.withInitial(() -> new float[1][0][]);
    private static final ThreadLocal<float[][]> SHARED_IMAGES = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> SHARED_COLUMNS = ThreadLocal.withInitial(() -> new float[1][0]);

    private VectorConv2d() {
    }

    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        if (winogradPays(g)) {
            VectorWinogradConv2d.forward(output, input, weight, bias, g);
            return;
        }
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
        correlate(output, null, g.outHeight() * g.outWidth(), input, packed, bias, g.batch(), g.inChannels(),
                g.inHeight(), g.inWidth(),
                g.padding(), g.padding(), g.kernelHeight(), g.kernelWidth(), g.stride(),
                g.outChannels(), g.outHeight(), g.outWidth());
    }

    static void backwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        int kh = g.kernelHeight(), kw = g.kernelWidth(), pad = g.padding();
        if (isPointwise(g) || g.inChannels() < F.length() || pad > kh - 1 || pad > kw - 1) {
            VectorIm2colConv2d.backwardData(gradInput, gradOutput, weight, g);
            return;
        }
        if (winogradPays(g)) {
            VectorWinogradConv2d.backwardData(gradInput, gradOutput, weight, g);
            return;
        }
        if (g.stride() != 1) {
            // A 1×1 kernel at stride 2 (ResNet's shortcut) has one phase of one tap: im2col's single
            // product per image beat it (19,049 against 8,838 images/s, bench/RESULTS.md).
            if (phasesApply(g) && kh * kw > 1) {
                backwardDataByPhases(gradInput, gradOutput, weight, g);
            } else {
                VectorIm2colConv2d.backwardData(gradInput, gradOutput, weight, g);
            }
            return;
        }
        int k = g.outChannels() * kh * kw;
        float[] packed = scratch(PACKED, k * ConvLayouts.paddedColumns(g.inChannels()));
        ConvLayouts.packFlipped(packed, weight, g.outChannels(), g.inChannels(), kh, kw);
        // At stride 1, gradInput = gradOutput (padded by k - 1 - pad) correlated with the turned kernel.
        correlate(gradInput, null, g.inHeight() * g.inWidth(), gradOutput, packed, null, g.batch(), g.outChannels(),
                g.outHeight(), g.outWidth(),
                kh - 1 - pad, kw - 1 - pad, kh, kw, 1, g.inChannels(), g.inHeight(), g.inWidth());
    }

    /**
     * Backward-data at stride s &gt; 1, as s² stride-1 correlations, one per phase (py, px) of the
     * input: the input rows Y = s·m + py receive gradient only from the kernel rows
     * i ≡ py + pad (mod s), each from output row y = (Y + pad - i) / s, so the phase's gradient
     * is the output gradient correlated at stride 1 with those rows of the kernel (turned, as at
     * stride 1), and the same along columns. ResNet's 3×3 stride-2 layers make four phases with
     * 1×1, 1×2, 2×1 and 2×2 kernels (a 1×1 kernel would make one phase of one tap, the others
     * getting no gradient; {@link #backwardData} leaves it to im2col, which measured faster). Each
     * phase's product stores its rows straight into the input pixels of its phase. (The im2col path multiplies by the whole kernel, then adds the col matrix back one
     * strided float at a time; its products have as few columns as the output has positions, 16
     * at ResNet's last stage.)
     */
    private static void backwardDataByPhases(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        int s = g.stride(), pad = g.padding(), h = g.inHeight(), w = g.inWidth();
        int inC = g.inChannels(), outC = g.outChannels(), batch = g.batch();
        boolean emptyPhase = false;
        for (int py = 0; py < s; py++) {
            int[] rows = phaseTaps(py, pad, s, g.kernelHeight());
            int mh = ceilDiv(h - py, s);
            for (int px = 0; px < s; px++) {
                int[] cols = phaseTaps(px, pad, s, g.kernelWidth());
                int mw = ceilDiv(w - px, s);
                if (mh <= 0 || mw <= 0) {
                    continue;
                }
                if (rows.length == 0 || cols.length == 0) {
                    emptyPhase = true;
                    continue;
                }
                // Phase position (m, q) is input pixel (s·m + py, s·q + px).
                int[] place = new int[mh * mw];
                for (int m = 0; m < mh; m++) {
                    for (int q = 0; q < mw; q++) {
                        place[m * mw + q] = (s * m + py) * w + s * q + px;
                    }
                }
                int k = outC * rows.length * cols.length;
                float[] packed = scratch(PACKED, k * ConvLayouts.paddedColumns(inC));
                ConvLayouts.packTaps(packed, weight, outC, inC, g.kernelHeight(), g.kernelWidth(), rows, cols);
                correlate(gradInput, place, h * w, gradOutput, packed, null, batch, outC, g.outHeight(), g.outWidth(),
                        phasePad(py, pad, s, rows.length), phasePad(px, pad, s, cols.length), rows.length, cols.length,
                        1, inC, mh, mw);
            }
        }
        if (emptyPhase) {
            // Pixels no kernel tap reaches (a stride above the kernel) get no gradient.
            boolean[] noRow = new boolean[s];
            boolean[] noColumn = new boolean[s];
            for (int p = 0; p < s; p++) {
                noRow[p] = phaseTaps(p, pad, s, g.kernelHeight()).length == 0;
                noColumn[p] = phaseTaps(p, pad, s, g.kernelWidth()).length == 0;
            }
            CpuThreads.forEach(batch * inC, plane -> {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (noRow[y % s] || noColumn[x % s]) {
                            gradInput[(plane * h + y) * w + x] = 0f;
                        }
                    }
                }
            });
        }
    }

    /**
     * The kernel rows (or columns) that reach input phase p at stride s: i ≡ p + pad (mod s), in
     * descending order, so that entry d reads output row m + d - {@link #phasePad} for input row s·m + p.
     */
    static int[] phaseTaps(int p, int pad, int s, int kernel) {
        int first = (p + pad) % s;
        int count = first < kernel ? (kernel - first + s - 1) / s : 0;
        int[] taps = new int[count];
        for (int d = 0; d < count; d++) {
            taps[d] = first + s * (count - 1 - d);
        }
        return taps;
    }

    /** The zero rows above the output gradient for phase p's correlation: taps - 1 - ⌊(p + pad) / s⌋. */
    static int phasePad(int p, int pad, int s, int taps) {
        return taps - 1 - (p + pad) / s;
    }

    /** Whether every phase's correlation starts at or above the output gradient's first row (and column). */
    private static boolean phasesApply(Conv2dGeometry g) {
        for (int p = 0; p < g.stride(); p++) {
            int rows = phaseTaps(p, g.padding(), g.stride(), g.kernelHeight()).length;
            int cols = phaseTaps(p, g.padding(), g.stride(), g.kernelWidth()).length;
            if (rows > 0 && phasePad(p, g.padding(), g.stride(), rows) < 0
                    || cols > 0 && phasePad(p, g.padding(), g.stride(), cols) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * out[n, o, y, x] = bias[o] + Σ_{c, i, j} B[(c·kh + i)·kw + j, o] · padded_n[c, y·stride + i, x·stride + j]
     * for images src [batch, channels, h, w] zero-padded by padTop and padLeft, B packed by
     * {@link ConvLayouts#packTapMajor}; out is [batch, outC, plane], position (y, x) at plane index
     * {@code place[y·outW + x]} (place null: [batch, outC, outH, outW]).
     */
    private static void correlate(float[] out, int[] place, int plane, float[] src, float[] packed, float[] bias,
                                  int batch, int channels, int h, int w, int padTop, int padLeft, int kh, int kw,
                                  int stride, int outC, int outH, int outW) {
        // The padded plane holds exactly the rows and columns the kernel reads.
        int hp = (outH - 1) * stride + kh;
        int wp = (outW - 1) * stride + kw;
        int k = channels * kh * kw;
        int positions = outH * outW;
        int imageSize = channels * hp * wp;
        // A task takes a group of images whose positions are the rows of one product, so that
        // small images (7×7) still give each slab of B many register blocks; enough tasks remain
        // for threads that come free to take more of them.
        int group = Math.max(1, Math.min(ceilDiv(GROUP_ROWS, positions), batch / (4 * CpuThreads.threads())));
        int tasks = ceilDiv(batch, group);
        int[] rowOffset = groupOffsets(ConvLayouts.positionOffsets(outH, outW, stride, wp, positions), group,
                imageSize, ConvLayouts.roundUp(group * positions, MR));
        int[] stepOffset = ConvLayouts.tapOffsets(channels, kh, kw, hp, wp, k);
        int inSize = channels * h * w;
        int outSize = outC * plane;
        CpuThreads.forEach(tasks, task -> {
            int n0 = task * group;
            int count = Math.min(group, batch - n0);
            int rows = ConvLayouts.roundUp(count * positions, MR);
            // Register blocks of the last group may reach into image slots past count: their
            // rows read stale floats and are never stored.
            float[] images = scratch(PADDED, group * imageSize);
            for (int i = 0; i < count; i++) {
                ConvLayouts.pad(images, i * imageSize, src, (n0 + i) * inSize, channels, h, w, padTop, padLeft, hp, wp);
            }
            for (int c0 = 0; c0 < outC; ) {
                int vectors = ConvLayouts.blockVectors(c0, outC);
                int width = VectorIndirectGemm.width(vectors);
                int real = Math.min(width, outC - c0);
                int kc = Math.max(1, SLAB_FLOATS / width);
                if (k <= kc) {
                    // One slab: each register block goes to the output while its tile is in L1.
                    float[] tile = scratch(COLUMNS, TALL * width);
                    for (int r = 0; r < rows; ) {
                        int height = blockRows(vectors, r, rows);
                        block(vectors, height, tile, 0, width, true, images, rowOffset, r, stepOffset, 0, k, packed,
                                k * c0, width);
                        storeTransposed(out, place, plane, outSize, positions, n0, tile, 0, width, r,
                                Math.min(height, count * positions - r), real, bias, c0);
                        r += height;
                    }
                } else {
                    // Several slabs: outᵀ of the group for this block of channels is summed slab by slab, then stored.
                    float[] tile = scratch(COLUMNS, rows * width);
                    for (int s0 = 0; s0 < k; s0 += kc) {
                        int s1 = Math.min(k, s0 + kc);
                        for (int r = 0; r < rows; ) {
                            int height = blockRows(vectors, r, rows);
                            block(vectors, height, tile, r * width, width, s0 == 0, images, rowOffset, r, stepOffset,
                                    s0, s1, packed, k * c0, width);
                            r += height;
                        }
                    }
                    storeTransposed(out, place, plane, outSize, positions, n0, tile, 0, width, 0, count * positions,
                            real, bias, c0);
                }
                c0 += width;
            }
        });
    }

    /**
     * Rows of the register block at row r of rows (a multiple of MR): the tall block's for a
     * two-vector column block when that many rows remain, else MR.
     */
    private static int blockRows(int vectors, int r, int rows) {
        return vectors == 2 && r + TALL <= rows ? TALL : MR;
    }

    /** One register block of {@code height} rows (TALL or MR): {@link VectorIndirectGemm#blockTall} or {@code block}. */
    private static void block(int vectors, int height, float[] c, int cOff, int ldc, boolean first, float[] src,
                              int[] rowOffset, int row0, int[] stepOffset, int s0, int s1, float[] b, int bOff,
                              int ldb) {
        if (height == TALL && TALL != MR) {
            VectorIndirectGemm.blockTall(c, cOff, ldc, first, src, 0, rowOffset, row0, stepOffset, s0, s1, b, bOff, ldb);
        } else {
            VectorIndirectGemm.block(vectors, c, cOff, ldc, first, src, 0, rowOffset, row0, stepOffset, s0, s1, b,
                    bOff, ldb);
        }
    }

    /**
     * The offsets of a group of images stored one after another, imageSize apart: entry
     * i·per.length + q is {@code i·imageSize + per[q]}; entries past group·per.length (to fill the
     * last register block) are 0.
     */
    private static int[] groupOffsets(int[] per, int group, int imageSize, int count) {
        int[] offsets = new int[count];
        for (int i = 0; i < group; i++) {
            for (int q = 0; q < per.length; q++) {
                offsets[i * per.length + q] = i * imageSize + per[q];
            }
        }
        return offsets;
    }

    /**
     * Writes rows [r0, r0 + count) of a position-major tile (row r0 at tile[tileOff], rows width
     * apart) back channel-major: row r is position r % positions of image n0 + r / positions, and
     * {@code out[image·outSize + (c0 + j)·plane + place[position]] = tile[row, j] + bias[c0 + j]} for j &lt; real
     * (place null: the position itself, plane = positions).
     */
    private static void storeTransposed(float[] out, int[] place, int plane, int outSize, int positions, int n0,
                                        float[] tile, int tileOff, int width, int r0, int count, int real, float[] bias,
                                        int c0) {
        for (int i = 0; i < count; i++) {
            int r = r0 + i;
            int q = r % positions;
            int dst = (n0 + r / positions) * outSize + c0 * plane + (place == null ? q : place[q]);
            for (int j = 0, t = tileOff + i * width; j < real; j++, t++) {
                out[dst + j * plane] = tile[t] + (bias == null ? 0f : bias[c0 + j]);
            }
        }
    }

    static void backwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                               Conv2dGeometry g) {
        if (WINOGRAD_FILTER && winogradPays(g)) {
            VectorWinogradConv2d.backwardFilter(gradWeight, gradBias, gradOutput, input, g);
            return;
        }
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
        int imageSize = inC * hp * wp;
        int inSize = inC * g.inHeight() * g.inWidth();
        int outSize = outC * positions;
        int batch = g.batch();
        // Fixed chunks of the batch, each summing at least FILTER_STEPS positions (so small images
        // make few chunks), at most FILTER_CHUNKS and within the memory budget of the partial sums.
        int chunks = Math.max(1, Math.min(Math.min(Math.min(batch, FILTER_CHUNKS),
                (int) Math.min(Integer.MAX_VALUE, (long) batch * positions / FILTER_STEPS)), PARTIAL_BUDGET / (rows * cols)));
        int rowBlocks = rows / MR;
        int perGroup = ceilDiv(rowBlocks, Math.min(rowBlocks, ceilDiv(FILTER_TASKS, chunks)));
        int rowGroups = ceilDiv(rowBlocks, perGroup);
        int biasAt = rows * cols;
        int[] rowOffset = ConvLayouts.tapOffsets(inC, kh, kw, hp, wp, rows);
        int[] perImage = ConvLayouts.positionOffsets(outH, outW, s, wp, positions);
        // partial[c] = [gradWᵀ (rows × cols) | gradBias (outC)] summed over the images of chunk c; the
        // bias part only for a layer with a bias (ResNet's have none: summing 32 × 512 planes of 16
        // floats in one task, while the other threads waited, took longer than its 1×1 downsample's product).
        float[][] partial = partials(chunks, biasAt + outC);
        // Each chunk's images are taken a group at a time: the positions of a group are the steps
        // of one product, so each register block of gradWᵀ is loaded and stored once per group
        // (not per image) while the group's images stay in cache. When the images are shared
        // (padded once for all tasks), a group is as many images as one slab of steps holds:
        // gradWᵀ of ResNet's last stage (4608 × 512 floats, 9 MB) then goes through memory once
        // per chunk instead of once per 12 images.
        int slabImages = rowGroups > 1
                ? SLAB_FLOATS / VectorIndirectGemm.width(VectorIndirectGemm.WIDE) / positions : 1;
        int group = Math.max(Math.max(1, ceilDiv(GROUP_ROWS, positions)), slabImages);
        int[] stepOffset = groupOffsets(perImage, group, imageSize, group * positions);
        if (rowGroups > 1) {
            // Several tasks share each chunk: its images are padded and its output gradients turned
            // once, into buffers every task reads.
            float[] images = shared(SHARED_IMAGES, batch * imageSize);
            float[] columns = shared(SHARED_COLUMNS, batch * positions * cols);
            CpuThreads.forEach(batch, n -> {
                ConvLayouts.pad(images, n * imageSize, input, n * inSize, inC, g.inHeight(), g.inWidth(), pad, pad,
                        hp, wp);
                ConvLayouts.transpose(columns, n * positions * cols, cols, gradOutput, n * outSize, outC, positions);
            });
            CpuThreads.forEach(chunks * rowGroups, task -> {
                int chunk = task / rowGroups;
                int rowGroup = task % rowGroups;
                int from = (int) ((long) chunk * batch / chunks);
                int to = (int) ((long) (chunk + 1) * batch / chunks);
                int r0 = rowGroup * perGroup * MR;
                int r1 = Math.min(rows, r0 + perGroup * MR);
                for (int n = from; n < to; n += group) {
                    int count = Math.min(group, to - n);
                    filterProduct(partial[chunk], cols, outC, r0, r1, n == from, images, n * imageSize, rowOffset,
                            stepOffset, count * positions, columns, n * positions * cols);
                }
                if (rowGroup == 0 && gradBias != null) {
                    biasSums(partial[chunk], biasAt, gradOutput, from, to, outC, positions);
                }
            });
        } else {
            // One task per chunk: it pads and turns its own images.
            CpuThreads.forEach(chunks, chunk -> {
                int from = (int) ((long) chunk * batch / chunks);
                int to = (int) ((long) (chunk + 1) * batch / chunks);
                float[] images = scratch(PADDED, group * imageSize);
                float[] columns = scratch(COLUMNS, group * positions * cols);   // gradOutputᵀ [group·positions × cols]
                for (int n = from; n < to; n += group) {
                    int count = Math.min(group, to - n);
                    for (int i = 0; i < count; i++) {
                        ConvLayouts.pad(images, i * imageSize, input, (n + i) * inSize, inC, g.inHeight(),
                                g.inWidth(), pad, pad, hp, wp);
                        ConvLayouts.transpose(columns, i * positions * cols, cols, gradOutput, (n + i) * outSize, outC,
                                positions);
                    }
                    filterProduct(partial[chunk], cols, outC, 0, rows, n == from, images, 0, rowOffset,
                            stepOffset, count * positions, columns, 0);
                }
                if (gradBias != null) {
                    biasSums(partial[chunk], biasAt, gradOutput, from, to, outC, positions);
                }
            });
        }
        // gradW[o, t] = Σ_c partial[c][t, o], chunks added in chunk order (vectors along o, then turned).
        float[] total = partial[0];
        int summed = gradBias != null ? biasAt + outC : biasAt;
        for (int c = 1; c < chunks; c++) {
            addInto(total, 0, partial[c], 0, summed);
        }
        turn(gradWeight, total, outC, k, cols);
        if (gradBias != null) {
            System.arraycopy(total, biasAt, gradBias, 0, outC);
        }
    }

    /**
     * gradWeight[o·k + t] = total[t·cols + o]: a block of {@link #TURN_CHANNELS} output channels
     * per task, {@link #TURN_TAPS} taps at a time through a small tile: the tile takes one run of
     * channels from each tap's row of total, then gives each channel's run of taps to gradWeight.
     * (Read in place, one float per row, the rows of total lie 2 KiB apart at 512 channels and
     * fell into two sets of L1, so every read missed; ResNet-18's step turns 11M floats.)
     */
    private static void turn(float[] gradWeight, float[] total, int outC, int k, int cols) {
        CpuThreads.forEach(ceilDiv(outC, TURN_CHANNELS), block -> {
            int o0 = block * TURN_CHANNELS;
            int o1 = Math.min(outC, o0 + TURN_CHANNELS);
            float[] tile = new float[TURN_TAPS * TURN_CHANNELS];
            for (int t0 = 0; t0 < k; t0 += TURN_TAPS) {
                int t1 = Math.min(k, t0 + TURN_TAPS);
                for (int t = t0; t < t1; t++) {
                    System.arraycopy(total, t * cols + o0, tile, (t - t0) * TURN_CHANNELS, o1 - o0);
                }
                for (int o = o0; o < o1; o++) {
                    for (int t = t0, at = o - o0; t < t1; t++, at += TURN_CHANNELS) {
                        gradWeight[o * k + t] = tile[at];
                    }
                }
            }
        });
    }

    /**
     * sums[r·cols + o] (+)= Σ_{s &lt; steps} images[imagesOff + rowOffset[r] + stepOffset[s]] · columns[columnsOff + s·cols + o]
     * for the taps r in [r0, r1) and every column block; {@code first} overwrites instead of adding.
     */
    private static void filterProduct(float[] sums, int cols, int outC, int r0, int r1, boolean first,
                                      float[] images, int imagesOff, int[] rowOffset, int[] stepOffset, int steps,
                                      float[] columns, int columnsOff) {
        for (int c0 = 0; c0 < outC; ) {
            int vectors = ConvLayouts.blockVectors(c0, outC);
            int width = VectorIndirectGemm.width(vectors);
            int kc = Math.max(1, SLAB_FLOATS / width);
            for (int s0 = 0; s0 < steps; s0 += kc) {
                int s1 = Math.min(steps, s0 + kc);
                for (int r = r0; r < r1; r += MR) {
                    VectorIndirectGemm.block(vectors, sums, r * cols + c0, cols, first && s0 == 0, images, imagesOff,
                            rowOffset, r, stepOffset, s0, s1, columns, columnsOff + c0, cols);
                }
            }
            c0 += width;
        }
    }

    /** sums[biasAt + o] = Σ over images [from, to) and positions of gradOutput[n, o, ·], image by image. */
    static void biasSums(float[] sums, int biasAt, float[] gradOutput, int from, int to, int outC,
                                 int positions) {
        for (int n = from; n < to; n++) {
            for (int o = 0; o < outC; o++) {
                float total = sum(gradOutput, (n * outC + o) * positions, positions);
                sums[biasAt + o] = n == from ? total : sums[biasAt + o] + total;
            }
        }
    }

    /**
     * Largest input plane (height · width) sent to {@link VectorWinogradConv2d}; 0 turns it off.
     * ResNet-18's 3×3 layers at batch 32 (ResNetConvBenchmark, bench/RESULTS.md), against the
     * direct kernels: 1.3-2.1 times at 7×7 and 4×4 (512 and 256 channels, all three passes),
     * 1.4-1.6 times backward at 14×14 (forward 0.96-1.4, noisy; seventh session of 2026-12-05);
     * at 28×28 and 56×56 with 64 channels, once computed image by image (tenth session, 2026-12-06),
     * forward and backward-data 1.26-1.48 times, backward-filter 1.17-1.40; 1.85-1.92 times all three
     * passes at 28×28 with 128 channels. 4096 takes 56×56 in.
     */
    static final int WINOGRAD_MAX_PLANE = Integer.getInteger("deephash.conv.winograd", 4096);
    /** Whether backward-filter goes to {@link VectorWinogradConv2d} too, where forward does. */
    static final boolean WINOGRAD_FILTER = Boolean.parseBoolean(System.getProperty("deephash.conv.winogradFilter", "true"));
    /** Fewest input and output channels sent to {@link VectorWinogradConv2d}: shallower products gain little. */
    static final int WINOGRAD_MIN_CHANNELS = Integer.getInteger("deephash.conv.winogradChannels", 64);
    /**
     * Smallest input height and width sent to {@link VectorWinogradConv2d}: an image that fills one 4×4 output
     * tile. Below it the tile is mostly padding: at 2×2 it takes 36 multiplications per channel pair for 4
     * outputs, as many as the direct sum, plus the transforms. ResNetConvBenchmark (eleventh session,
     * 2026-12-06, the three passes, two rounds): the direct kernels 1.34-2.27 times Winograd's images/s at
     * 512-512-2-1 and 256-256-2-1 (ResNet-18's last stage at 64×64 input) in 11 of 12 pass-rounds (0.75
     * in the twelfth), 1.98-2.55 times at 512-512-1-1, level at 512-512-3-1 (0.71-1.07, backward-data
     * 0.89 and 1.74); Winograd 1.1-2.0 times the direct kernels at 256-256-4-1.
     */
    static final int WINOGRAD_MIN_SIDE = Integer.getInteger("deephash.conv.winogradMinSide", 4);

    /** Whether {@link VectorWinogradConv2d} measured faster than the direct products for this layer. */
    private static boolean winogradPays(Conv2dGeometry g) {
        return VectorWinogradConv2d.applies(g) && g.inHeight() * g.inWidth() <= WINOGRAD_MAX_PLANE
                && g.inHeight() >= WINOGRAD_MIN_SIDE && g.inWidth() >= WINOGRAD_MIN_SIDE
                && g.inChannels() >= WINOGRAD_MIN_CHANNELS && g.outChannels() >= WINOGRAD_MIN_CHANNELS;
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
        float s = VectorLaneSum.inOrder(acc);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /** A buffer of the calling thread that the tasks of one call share (read-only once filled). */
    private static float[] shared(ThreadLocal<float[][]> holder, int size) {
        return scratch(holder, size);
    }

    static float[] scratch(ThreadLocal<float[][]> holder, int size) {
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
