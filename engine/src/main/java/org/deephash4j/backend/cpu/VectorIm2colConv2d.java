package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.Conv2dGeometry;

/**
 * 2-D convolution, NCHW, as im2col + {@link VectorGemm}: the same contracts as
 * {@code ReferenceConv2d} (see {@code Backend.conv2dForward} and the two backwards). The general
 * path of {@link VectorConv2d}, which uses it where its faster paths do not apply (backward-data
 * of a 1×1 kernel at a stride above 1, or with padding as large as the kernel) and for 1×1
 * convolutions, where the image is its own col matrix.
 *
 * <p>For one image, {@code col[K × P]} with {@code K = inC·kH·kW} and {@code P = outH·outW} holds
 * {@code col[(c·kH + i)·kW + j, oh·outW + ow] = input[c, oh·s - pad + i, ow·s - pad + j]} (0 in the
 * padding). Then, per image n, with W viewed as {@code [outC × K]}:
 * <ul>
 *   <li>forward: {@code output_n[outC × P] = W · col_n + bias};</li>
 *   <li>backward-data: {@code colGrad = Wᵀ · gradOutput_n}, then col2im adds each entry back to
 *       the input pixel it was read from;</li>
 *   <li>backward-filter: {@code gradWeightᵀ = Σ_n col_n · gradOutput_nᵀ} (transposed once at the end),
 *       {@code gradBias[o] = Σ_n Σ_p gradOutput_n[o, p]}.</li>
 * </ul>
 * Images are spread over {@link CpuThreads} (the GEMM inside a task runs serially). The
 * backward-filter sum over the batch is split into fixed chunks of images (as in
 * {@link VectorConv2d}); each chunk sums in image order into its own buffer and the chunks are
 * added in chunk order, so the bits depend only on the shapes. The im2col buffers are per thread
 * and reused.
 */
final class VectorIm2colConv2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PACKED_WEIGHT = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][][]> PARTIAL = ThreadLocal.withInitial(() -> new float[1][0][]);

    private VectorIm2colConv2d() {
    }

    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int positions = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.inHeight() * g.inWidth();
        int outSize = g.outChannels() * positions;
        boolean direct = isPointwise(g);
        // The weights are the A of every image's product: pack them once for the batch.
        float[] packedWeight = scratch(PACKED_WEIGHT, VectorGemm.packedSize(g.outChannels(), k));
        VectorGemm.packAll(false, g.outChannels(), k, weight, 0, packedWeight, 0);
        CpuThreads.forEach(g.batch(), n -> {
            float[] col = input;
            int colOffset = n * inSize;
            if (!direct) {
                col = scratch(COL, k * positions);
                im2col(col, input, n * inSize, g);
                colOffset = 0;
            }
            VectorGemm.gemmPacked(false, g.outChannels(), positions, k, 1f, packedWeight, 0, col, colOffset,
                    0f, output, n * outSize);
            if (bias != null) {
                for (int o = 0; o < g.outChannels(); o++) {
                    addScalar(output, n * outSize + o * positions, positions, bias[o]);
                }
            }
        });
    }

    static void backwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int positions = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.inHeight() * g.inWidth();
        int outSize = g.outChannels() * positions;
        boolean direct = isPointwise(g);
        // Wᵀ is the A of every image's product: pack it once for the batch.
        float[] packedWeight = scratch(PACKED_WEIGHT, VectorGemm.packedSize(k, g.outChannels()));
        VectorGemm.packAll(true, k, g.outChannels(), weight, 0, packedWeight, 0);
        CpuThreads.forEach(g.batch(), n -> {
            if (direct) {
                VectorGemm.gemmPacked(false, k, positions, g.outChannels(), 1f, packedWeight, 0, gradOutput, n * outSize,
                        0f, gradInput, n * inSize);
                return;
            }
            float[] col = scratch(COL, k * positions);
            VectorGemm.gemmPacked(false, k, positions, g.outChannels(), 1f, packedWeight, 0, gradOutput, n * outSize,
                    0f, col, 0);
            col2im(gradInput, n * inSize, col, g);
        });
    }

    static void backwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                               Conv2dGeometry g) {
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        int outC = g.outChannels();
        int positions = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.inHeight() * g.inWidth();
        int outSize = outC * positions;
        boolean direct = isPointwise(g);
        // Fixed chunks (as VectorConv2d's), so the bits depend on the shapes only, not the thread count.
        int chunks = Math.max(1, Math.min(Math.min(g.batch(), VectorConv2d.FILTER_CHUNKS),
                VectorConv2d.PARTIAL_BUDGET / (outC * k + outC)));
        int perChunk = (g.batch() + chunks - 1) / chunks;
        int used = (g.batch() + perChunk - 1) / perChunk;
        // partial[c] = [gradWeightᵀ (k·outC) | gradBias (outC)] summed over the images of chunk c.
        // Computing gradWeightᵀ = Σ_n col_n · gradOutput_nᵀ makes col (the large operand) the A of
        // the product, which packs along its rows; packing it as a transposed B cost more than the FMAs.
        float[][] partial = partials(used, outC * k + outC);
        CpuThreads.forEach(used, chunk -> {
            float[] sums = partial[chunk];
            java.util.Arrays.fill(sums, outC * k, outC * k + outC, 0f);
            int from = chunk * perChunk;
            int to = Math.min(g.batch(), from + perChunk);
            for (int n = from; n < to; n++) {
                float[] col = input;
                int colOffset = n * inSize;
                if (!direct) {
                    col = scratch(COL, k * positions);
                    im2col(col, input, n * inSize, g);
                    colOffset = 0;
                }
                VectorGemm.gemm(false, true, k, outC, positions, 1f, col, colOffset, gradOutput, n * outSize,
                        n == from ? 0f : 1f, sums, 0);
                for (int o = 0; gradBias != null && o < outC; o++) {
                    sums[outC * k + o] += VectorConv2d.sum(gradOutput, n * outSize + o * positions, positions);
                }
            }
        });
        // gradWeight[o, r] = Σ_c partial[c][r, o], chunks added in chunk order.
        for (int o = 0; o < outC; o++) {
            for (int r = 0; r < k; r++) {
                float total = partial[0][r * outC + o];
                for (int c = 1; c < used; c++) {
                    total += partial[c][r * outC + o];
                }
                gradWeight[o * k + r] = total;
            }
        }
        if (gradBias != null) {
            System.arraycopy(partial[0], outC * k, gradBias, 0, outC);
            for (int c = 1; c < used; c++) {
                VectorConv2d.addInto(gradBias, 0, partial[c], outC * k, outC);
            }
        }
    }

    /** A 1×1 kernel, stride 1, no padding: the input image is its own col matrix. */
    private static boolean isPointwise(Conv2dGeometry g) {
        return g.kernelHeight() == 1 && g.kernelWidth() == 1 && g.stride() == 1 && g.padding() == 0;
    }

    /** col[K × P] from one image starting at input[inOffset]; see the class javadoc. */
    static void im2col(float[] col, float[] input, int inOffset, Conv2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding();
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = inOffset + c * h * w;
            for (int i = 0; i < g.kernelHeight(); i++) {
                for (int j = 0; j < g.kernelWidth(); j++, row++) {
                    int dst = row * oh * ow;
                    // Output columns whose input column x = ow·s - pad + j lies in [0, w).
                    int first = Math.max(0, ceilDiv(pad - j, s));
                    int last = Math.min(ow, ceilDiv(w + pad - j, s));   // exclusive
                    for (int y = 0; y < oh; y++, dst += ow) {
                        int iy = y * s - pad + i;
                        if (iy < 0 || iy >= h || first >= last) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = plane + iy * w - pad + j;
                        java.util.Arrays.fill(col, dst, dst + first, 0f);
                        if (s == 1) {
                            System.arraycopy(input, src + first, col, dst + first, last - first);
                        } else {
                            for (int x = first; x < last; x++) {
                                col[dst + x] = input[src + x * s];
                            }
                        }
                        java.util.Arrays.fill(col, dst + last, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /** gradInput image at inOffset = Σ of col entries over the positions they were read from (overwrites). */
    static void col2im(float[] gradInput, int inOffset, float[] col, Conv2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding();
        java.util.Arrays.fill(gradInput, inOffset, inOffset + g.inChannels() * h * w, 0f);
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = inOffset + c * h * w;
            for (int i = 0; i < g.kernelHeight(); i++) {
                for (int j = 0; j < g.kernelWidth(); j++, row++) {
                    int src = row * oh * ow;
                    int first = Math.max(0, ceilDiv(pad - j, s));
                    int last = Math.min(ow, ceilDiv(w + pad - j, s));
                    for (int y = 0; y < oh; y++, src += ow) {
                        int iy = y * s - pad + i;
                        if (iy < 0 || iy >= h || first >= last) {
                            continue;
                        }
                        int dst = plane + iy * w - pad + j;
                        if (s == 1) {
                            VectorConv2d.addInto(gradInput, dst + first, col, src + first, last - first);
                        } else {
                            for (int x = first; x < last; x++) {
                                gradInput[dst + x * s] += col[src + x];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static void addScalar(float[] y, int off, int n, float value) {
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) {
            FloatVector.fromArray(F, y, off + i).add(value).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] += value;
        }
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
        if (h[0].length < count || h[0][0] == null || h[0][0].length < size) {
            float[][] fresh = new float[Math.max(count, h[0].length)][];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = new float[size];
            }
            h[0] = fresh;
        }
        return h[0];
    }
}
