package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.Conv2dGeometry;

/**
 * 3×3 convolution at stride 1 with padding 1 by Winograd's minimal filtering F(4×4, 3×3) (Lavin and
 * Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): a 4×4 block of outputs
 * from a 6×6 block of input takes 36 multiplications per channel pair instead of 144.
 *
 * <p>For one channel pair, a 6×6 input tile d (rows 4ty - 1 .. 4ty + 4, columns likewise; zero
 * outside the image) and the 3×3 kernel g, the 4×4 output tile is
 * <pre>  Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A</pre>
 * with the constant matrices of Lavin and Gray's interpolation points 0, 1, -1, 2, -2 and ∞,
 * written out as one-dimensional steps in {@link #filterSteps}, {@link #inputSteps} and
 * {@link #outputSteps}. The sum over input channels passes through the elementwise product, so a
 * whole layer is 36 matrix products, one per position ξ of the 6×6 transformed tile:
 * <pre>  M_ξ[t][k] = Σ_c V_ξ[t][c] · U_ξ[c][k],   U = G g Gᵀ,  V = Bᵀ d B</pre>
 * for output channels k, input channels c and tiles t, then Y = Aᵀ M A per (t, k). The products
 * run on {@link VectorGemm}; the transforms are a few additions per element, next to the 2·C
 * multiply-adds per element of the products. The three steps of one call:
 * <ol>
 *   <li>{@link #inputTransform}: V for a chunk of images, L channels at a time (from a channels-last
 *       copy of each image), then each V_ξ packed once for the products ({@link VectorGemm#packAll});</li>
 *   <li>for each block of output channels ({@link #outputChannelsPerBlock}): {@link #transformFilters}
 *       makes that block's U, and the 36 products use it while it is still in cache;</li>
 *   <li>{@link #outputTransform}: Aᵀ M A, bias added, L channels at a time (into a channels-last
 *       array, then written out plane by plane).</li>
 * </ol>
 * Where all of U is one block (up to 128 channels) and the batch gives every thread two tasks or
 * more, the same three steps run a few images per task instead ({@link #convolveInImageGroups}):
 * one task per group of images, on one thread from its input to its output, so that its V and M
 * (36 · 49 · 64 floats each for a 28×28 image with 64 channels) stay in that core's caches instead
 * of streaming a chunk's worth through memory between the steps. Each product then has the group's
 * tiles as its rows, and the group is as many images as fill the products' row panels best
 * ({@link #imagesPerTask}: three 14×14 images are 48 tiles, four panels of 12 rows, where one image
 * left 16 rows in two panels); every output element is the same sum in the same order, so all
 * these ways give the same bits.
 *
 * <p>The arithmetic is not the direct sum's: the transforms scale by up to 5 and add before
 * multiplying, so the rounding differs from {@code ReferenceConv2d}'s; {@code WinogradConvTest}
 * holds it to the tolerance the direct kernels are held to. Every element is computed in an order
 * fixed by the shapes, so the bits do not depend on the thread count. {@link VectorConv2d} sends
 * a layer here only where it measured faster (small images with many channels: ResNet's later
 * stages).
 *
 * <p>Backward-data at stride 1 is the same computation: the output gradient (padded by
 * {@code 3 - 1 - 1 = 1}) correlated with the kernel turned by 180 degrees and its channel axes
 * swapped ({@link #backwardData}). Backward-filter runs the products the other way round
 * ({@link #backwardFilter}): the output gradient transformed by A dY Aᵀ ({@link #gradientTransform}),
 * dU_ξ = V_ξᵀ · dM_ξ with the batch's tiles as the products' depth, then Gᵀ dU G
 * ({@link #filterGradientTransform}).
 */
final class VectorWinogradConv2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Side of an input tile, and of a transformed one. */
    private static final int SIDE = 6;
    /** Side of an output tile. */
    private static final int OUT = 4;
    /** Positions of a transformed tile. */
    private static final int XI = SIDE * SIDE;
    /**
     * Floats added to the distance between the 36 matrices of U, V and M. Their natural sizes are
     * often powers of two (512·512, 512·32), and 36 streams a power of two apart meet in the same
     * L1 sets: the transforms, which touch all 36 per tile, ran at a third of their speed.
     */
    private static final int SET_PAD = 16;
    /** Floats of transformed filters made at a time (see {@link #outputChannelsPerBlock}). */
    static final int U_BLOCK_FLOATS = Integer.getInteger("deephash.conv.winogradBlock", 1 << 20);
    /** Input channels (rows of U) one task of the filter transform takes. */
    private static final int FILTER_ROWS_PER_TASK = 8;
    /** Floats one chunk's transformed input (or products) may take: 8 MiB. Fewer images per chunk above it. */
    private static final int CHUNK_FLOATS = 1 << 21;
    /** Groups of images whose dU backward-filter adds up apart ({@link #backwardFilterInImageGroups}). */
    private static final int IMAGE_GROUPS = 8;
    /**
     * Floats the transformed input V of one task of {@link #convolveInImageGroups} may take: 1 MiB,
     * a core's L2 on the parts this was measured on; M takes as much again.
     */
    private static final int GROUP_FLOATS = 1 << 18;
    /** Images per task of {@link #convolveInImageGroups} if set (0: {@link #imagesPerTask} decides). */
    private static final int IMAGES_PER_TASK = Integer.getInteger("deephash.conv.winogradImages", 0);
    /** Fewest tiles per image for backward-filter image by image: 49 (28 × 28); at 14 × 14 (16) chunks are deeper. */
    private static final int IMAGE_GROUP_MIN_TILES = 49;

    private static final ThreadLocal<float[][]> FILTERS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> TRANSFORMED_INPUT = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PACKED_INPUT = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> FILTER_STEPS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PRODUCTS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> CHANNELS_LAST = ThreadLocal.withInitial(() -> new float[1][0]);

    private VectorWinogradConv2d() {
    }

    /** Whether the geometry is one this class computes: a 3×3 kernel, stride 1, padding 1. */
    static boolean applies(Conv2dGeometry g) {
        return g.kernelHeight() == 3 && g.kernelWidth() == 3 && g.stride() == 1 && g.padding() == 1;
    }

    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        convolve(output, input, weight, false, bias, g.batch(), g.inChannels(), g.outChannels(),
                g.inHeight(), g.inWidth());
    }

    /** gradInput = gradOutput correlated with the turned kernel (3×3, stride 1, padding 1: same size). */
    static void backwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        convolve(gradInput, gradOutput, weight, true, null, g.batch(), g.outChannels(), g.inChannels(),
                g.inHeight(), g.inWidth());
    }

    /**
     * gradWeight = dL/dW and gradBias = dL/db (if not null) from the output's gradient: through the
     * same 36 products, turned around. Y = Aᵀ M A gives dM = A dY Aᵀ per tile; M_ξ = V_ξ · U_ξ
     * gives dU_ξ = V_ξᵀ · dM_ξ, a sum over all tiles of the batch (one product per ξ, tiles as its
     * depth); U = G g Gᵀ gives dg = Gᵀ dU G. Both arrays are overwritten.
     */
    static void backwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                               Conv2dGeometry g) {
        int batch = g.batch(), inC = g.inChannels(), outC = g.outChannels(), h = g.inHeight(), w = g.inWidth();
        int tilesHigh = (h + OUT - 1) / OUT;
        int tilesWide = (w + OUT - 1) / OUT;
        int tilesPerImage = tilesHigh * tilesWide;
        int plane = h * w;
        if (outputChannelsPerBlock(inC, outC) == outC && tilesPerImage >= IMAGE_GROUP_MIN_TILES) {
            backwardFilterInImageGroups(gradWeight, gradOutput, input, batch, inC, outC, h, w);
        } else {
            backwardFilterInChunks(gradWeight, gradOutput, input, batch, inC, outC, h, w);
        }
        if (gradBias != null) {
            VectorConv2d.biasSums(gradBias, 0, gradOutput, 0, batch, outC, plane);
        }
    }

    /**
     * dg for layers whose dU is one block and whose images have {@link #IMAGE_GROUP_MIN_TILES} tiles or
     * more. The batch is cut into {@link #IMAGE_GROUPS} groups of images (fixed by the batch size); one
     * task adds up its group's dU_ξ = Σ V_ξᵀ · dM_ξ image after image, each image's V and dM made and
     * used on the task's thread, and the groups' sums are then added in group order, so the bits depend
     * on the sizes alone (not the same bits as {@link #backwardFilterInChunks}, which sums other groups).
     */
    static void backwardFilterInImageGroups(float[] gradWeight, float[] gradOutput, float[] input, int batch, int inC,
                                            int outC, int h, int w) {
        int tilesHigh = (h + OUT - 1) / OUT;
        int tilesWide = (w + OUT - 1) / OUT;
        int tiles = tilesHigh * tilesWide;
        int plane = h * w;
        int groups = Math.min(batch, IMAGE_GROUPS);
        int duStride = inC * outC + SET_PAD;
        int groupFloats = XI * duStride;
        float[] du = VectorConv2d.scratch(FILTERS, groups * groupFloats);
        int[] planeLanes = VectorWidth.strided(plane);
        int[] inTail = tailLanes(plane, inC), outTail = tailLanes(plane, outC);
        int vStride = tiles * inC + SET_PAD, mStride = tiles * outC + SET_PAD;
        int packedSize = VectorGemm.packedSize(inC, tiles);
        CpuThreads.forEach(groups, group -> {
            float[] v = VectorConv2d.scratch(TRANSFORMED_INPUT, XI * vStride);
            float[] packedV = VectorConv2d.scratch(PACKED_INPUT, packedSize);
            float[] dm = VectorConv2d.scratch(PRODUCTS, XI * mStride);
            int first = (int) ((long) batch * group / groups), end = (int) ((long) batch * (group + 1) / groups);
            for (int n = first; n < end; n++) {
                inputTransform(v, 0, vStride, inC, input, n * inC * plane, h, w, tilesWide, tilesHigh, planeLanes, inTail);
                gradientTransform(dm, 0, mStride, outC, outC, gradOutput, n * outC * plane, h, w, tilesWide, tilesHigh,
                        planeLanes, outTail);
                for (int xi = 0; xi < XI; xi++) {       // dU_ξ [inC × outC] (+)= V_ξᵀ · dM_ξ, the image's tiles as depth
                    VectorGemm.packAll(true, inC, tiles, v, xi * vStride, packedV, 0);
                    VectorGemm.gemmPacked(false, inC, outC, tiles, 1f, packedV, 0, dm, xi * mStride, n == first ? 0f : 1f,
                            du, group * groupFloats + xi * duStride);
                }
            }
        });
        int size = inC * outC;
        CpuThreads.forEach(XI, xi -> {                  // group 0 += groups 1, 2, ... in that order
            int at = xi * duStride;
            for (int group = 1; group < groups; group++) {
                int from = group * groupFloats + at;
                int j = 0;
                for (; j < F.loopBound(size); j += L) {
                    FloatVector.fromArray(F, du, at + j).add(FloatVector.fromArray(F, du, from + j)).intoArray(du, at + j);
                }
                for (; j < size; j++) du[at + j] += du[from + j];
            }
        });
        filterGradientTransform(gradWeight, du, 0, duStride, inC, 0, outC);
    }

    /** dg a chunk of images at a time, dU_ξ of each block of output channels added over the chunks in order. */
    static void backwardFilterInChunks(float[] gradWeight, float[] gradOutput, float[] input, int batch, int inC,
                                       int outC, int h, int w) {
        int tilesHigh = (h + OUT - 1) / OUT;
        int tilesWide = (w + OUT - 1) / OUT;
        int tilesPerImage = tilesHigh * tilesWide;
        int plane = h * w;
        int block = outputChannelsPerBlock(inC, outC);
        int blocks = (outC + block - 1) / block;
        int duStride = inC * block + SET_PAD;           // dU of one block: [ξ][inC × block]
        float[] du = VectorConv2d.scratch(FILTERS, blocks * XI * duStride);
        int[] planeLanes = VectorWidth.strided(plane);
        int[] inTail = tailLanes(plane, inC), outTail = tailLanes(plane, outC);
        int imagesPerChunk = Math.max(1, Math.min(batch, CHUNK_FLOATS / (XI * Math.max(inC, outC) * tilesPerImage)));
        for (int n0 = 0; n0 < batch; n0 += imagesPerChunk) {
            int first = n0;
            int images = Math.min(imagesPerChunk, batch - n0);
            boolean firstChunk = n0 == 0, lastChunk = n0 + images == batch;
            int tiles = images * tilesPerImage;
            int vStride = tiles * inC + SET_PAD, mStride = tiles * block + SET_PAD;
            int packedStride = VectorGemm.packedSize(inC, tiles) + SET_PAD;
            float[] v = VectorConv2d.scratch(TRANSFORMED_INPUT, XI * vStride);
            float[] packedV = VectorConv2d.scratch(PACKED_INPUT, XI * packedStride);
            float[] dm = VectorConv2d.scratch(PRODUCTS, blocks * XI * mStride);
            CpuThreads.forEach(images, i -> inputTransform(v, i * tilesPerImage * inC, vStride, inC, input,
                    (first + i) * inC * plane, h, w, tilesWide, tilesHigh, planeLanes, inTail));
            // V_ξᵀ [inC × tiles] packed once for every block's product.
            CpuThreads.forEach(XI, xi -> VectorGemm.packAll(true, inC, tiles, v, xi * vStride, packedV,
                    xi * packedStride));
            CpuThreads.forEach(images, i -> gradientTransform(dm, i * tilesPerImage, mStride, block, outC,
                    gradOutput, (first + i) * outC * plane, h, w, tilesWide, tilesHigh, planeLanes, outTail));
            for (int b = 0; b < blocks; b++) {
                int k0 = b * block;
                int channels = Math.min(block, outC - k0);
                int duAt = b * XI * duStride, dmAt = b * XI * mStride;
                // dU_ξ [inC × channels] (+)= V_ξᵀ · dM_ξ, chunks added in order: the same bits at any thread count.
                CpuThreads.forEach(XI, xi -> VectorGemm.gemmPacked(false, inC, channels, tiles, 1f, packedV,
                        xi * packedStride, dm, dmAt + xi * mStride, firstChunk ? 0f : 1f, du, duAt + xi * duStride));
                if (lastChunk) {
                    filterGradientTransform(gradWeight, du, duAt, duStride, inC, k0, channels);
                }
            }
        }
    }

    /**
     * out[n, k, y, x] = bias[k] + Σ_{c, i, j} g_kc[i][j] · src[n, c, y + i - 1, x + j - 1] for src
     * [batch, inC, h, w] and out [batch, outC, h, w], where g_kc = weight[k, c] or, when turned,
     * weight[c, k] turned by 180 degrees (weight then [inC, outC, 3, 3]).
     */
    private static void convolve(float[] out, float[] src, float[] weight, boolean turned, float[] bias,
                                 int batch, int inC, int outC, int h, int w) {
        if (outputChannelsPerBlock(inC, outC) == outC && batch >= 2 * CpuThreads.threads()) {
            int tilesPerImage = ((h + OUT - 1) / OUT) * ((w + OUT - 1) / OUT);
            int images = imagesPerTask(tilesPerImage, Math.max(inC, outC), batch / (2 * CpuThreads.threads()));
            convolveInImageGroups(out, src, weight, turned, bias, batch, inC, outC, h, w, images);
        } else {
            convolveInChunks(out, src, weight, turned, bias, batch, inC, outC, h, w);
        }
    }

    /**
     * {@link #convolve} a group of {@code imagesPerTask} images per task (the last group may be
     * shorter), for layers whose transformed filters U are one block: U made once, then each
     * group's V, its 36 products (each V_ξ packed just before its product, the group's tiles as its
     * rows) and its outputs, all on the task's thread.
     */
    static void convolveInImageGroups(float[] out, float[] src, float[] weight, boolean turned, float[] bias,
                                      int batch, int inC, int outC, int h, int w, int imagesPerTask) {
        int tilesHigh = (h + OUT - 1) / OUT;
        int tilesWide = (w + OUT - 1) / OUT;
        int tilesPerImage = tilesHigh * tilesWide;
        int plane = h * w;
        int uStride = inC * outC + SET_PAD;
        float[] u = VectorConv2d.scratch(FILTERS, XI * uStride);
        transformFilters(u, uStride, weight, turned, inC, outC, 0, outC);
        int[] planeLanes = VectorWidth.strided(plane);   // lane l: plane c + l of an image
        int[] inTail = tailLanes(plane, inC);
        int tasks = (batch + imagesPerTask - 1) / imagesPerTask;
        CpuThreads.forEach(tasks, task -> {
            int first = task * imagesPerTask;
            int images = Math.min(imagesPerTask, batch - first);
            int tiles = images * tilesPerImage;
            int vStride = tiles * inC + SET_PAD, mStride = tiles * outC + SET_PAD;
            float[] v = VectorConv2d.scratch(TRANSFORMED_INPUT, XI * vStride);
            float[] packedV = VectorConv2d.scratch(PACKED_INPUT, VectorGemm.packedSize(tiles, inC));
            float[] m = VectorConv2d.scratch(PRODUCTS, XI * mStride);
            for (int i = 0; i < images; i++) {
                inputTransform(v, i * tilesPerImage * inC, vStride, inC, src, (first + i) * inC * plane, h, w,
                        tilesWide, tilesHigh, planeLanes, inTail);
            }
            for (int xi = 0; xi < XI; xi++) {
                VectorGemm.packAll(false, tiles, inC, v, xi * vStride, packedV, 0);
                VectorGemm.gemmPacked(false, tiles, outC, inC, 1f, packedV, 0, u, xi * uStride, 0f, m, xi * mStride);
            }
            for (int i = 0; i < images; i++) {
                outputTransform(out, (first + i) * outC * plane, h, w, m, i * tilesPerImage * outC, mStride, outC,
                        bias, 0, tilesWide, tilesHigh);
            }
        });
    }

    /**
     * Images per task of {@link #convolveInImageGroups}: of 1 to {@code most} images whose V stays
     * within {@link #GROUP_FLOATS} floats (one image always), the fewest whose tiles fill the
     * products' row panels ({@link VectorGemm#MR} rows each; a partial panel costs as much as a
     * full one) the best. {@code -Ddeephash.conv.winogradImages=N} fixes the count instead.
     */
    static int imagesPerTask(int tilesPerImage, int channels, int most) {
        if (IMAGES_PER_TASK > 0) {
            return IMAGES_PER_TASK;
        }
        int best = 1;
        double bestFill = 0;
        for (int images = 1; images <= Math.max(1, most); images++) {
            if (images > 1 && (long) images * tilesPerImage * channels * XI > GROUP_FLOATS) {
                break;
            }
            int rows = images * tilesPerImage;
            int panelRows = (rows + VectorGemm.MR - 1) / VectorGemm.MR * VectorGemm.MR;
            double fill = rows / (double) panelRows;
            if (fill > bestFill) {
                best = images;
                bestFill = fill;
            }
        }
        return best;
    }

    /** {@link #convolve} a chunk of images at a time, each step over the whole chunk on all threads. */
    static void convolveInChunks(float[] out, float[] src, float[] weight, boolean turned, float[] bias,
                                 int batch, int inC, int outC, int h, int w) {
        int tilesHigh = (h + OUT - 1) / OUT;
        int tilesWide = (w + OUT - 1) / OUT;
        int tilesPerImage = tilesHigh * tilesWide;
        int plane = h * w;
        int block = outputChannelsPerBlock(inC, outC);
        boolean oneBlock = block == outC;
        int uStride = inC * block + SET_PAD;
        float[] u = VectorConv2d.scratch(FILTERS, XI * uStride);
        if (oneBlock) {
            transformFilters(u, uStride, weight, turned, inC, outC, 0, outC);
        }
        int[] planeLanes = VectorWidth.strided(plane);   // lane l: plane c + l of an image
        int[] inTail = tailLanes(plane, inC);
        int imagesPerChunk = Math.max(1, Math.min(batch, CHUNK_FLOATS / (XI * Math.max(inC, block) * tilesPerImage)));
        for (int n0 = 0; n0 < batch; n0 += imagesPerChunk) {
            int first = n0;
            int images = Math.min(imagesPerChunk, batch - n0);
            int tiles = images * tilesPerImage;
            int vStride = tiles * inC + SET_PAD, mStride = tiles * block + SET_PAD;
            int packedStride = VectorGemm.packedSize(tiles, inC) + SET_PAD;
            float[] v = VectorConv2d.scratch(TRANSFORMED_INPUT, XI * vStride);
            float[] packedV = VectorConv2d.scratch(PACKED_INPUT, XI * packedStride);
            float[] m = VectorConv2d.scratch(PRODUCTS, XI * mStride);
            CpuThreads.forEach(images, i -> inputTransform(v, i * tilesPerImage * inC, vStride, inC, src,
                    (first + i) * inC * plane, h, w, tilesWide, tilesHigh, planeLanes, inTail));
            // V_ξ [tiles × inC] packed once for the products of every block of output channels.
            CpuThreads.forEach(XI, xi -> VectorGemm.packAll(false, tiles, inC, v, xi * vStride, packedV,
                    xi * packedStride));
            for (int k0 = 0; k0 < outC; k0 += block) {
                int from = k0;
                int channels = Math.min(block, outC - k0);
                if (!oneBlock) {
                    transformFilters(u, uStride, weight, turned, inC, outC, k0, channels);
                }
                // M_ξ [tiles × channels] = V_ξ · U_ξ: U_ξ is [inC × channels]. One product per ξ, each
                // on one thread (VectorGemm runs serially inside a task), so the bits do not depend
                // on the thread count.
                CpuThreads.forEach(XI, xi -> VectorGemm.gemmPacked(false, tiles, channels, inC, 1f, packedV,
                        xi * packedStride, u, xi * uStride, 0f, m, xi * mStride));
                CpuThreads.forEach(images, i -> outputTransform(out, ((first + i) * outC + from) * plane, h, w, m,
                        i * tilesPerImage * channels, mStride, channels, bias, from, tilesWide, tilesHigh));
            }
        }
    }

    /**
     * Output channels whose transformed filters are made and used in one go: U takes 36·inC floats
     * per output channel, and all of it at ResNet's 512-channel stage (38 MB) outgrew the last-level
     * cache, so the products read back from memory what the transform had just written. Equal
     * blocks of whole column panels of the products keep U near {@link #U_BLOCK_FLOATS}.
     */
    private static int outputChannelsPerBlock(int inC, int outC) {
        long floats = (long) XI * inC * outC;
        int blocks = (int) ((floats + U_BLOCK_FLOATS - 1) / U_BLOCK_FLOATS);
        int panels = (outC + VectorGemm.NR - 1) / VectorGemm.NR;
        int block = (panels + blocks - 1) / blocks * VectorGemm.NR;    // equal blocks of whole panels
        return Math.min(outC, block);
    }

    /**
     * u[ξ·stride + c·channels + k - k0] = (G g_kc Gᵀ)[ξ] for output channels k0 ≤ k &lt; k0 + channels:
     * U_ξ of that block as an inC × channels matrix, row-major, which {@link VectorGemm} reads in
     * place as B when the product has few rows. L kernels at a time along k: lane l gathers the 9
     * taps of kernel (c, k + l), from weight [outC, inC, 3, 3] (9·inC floats apart) or, turned, from
     * weight [inC, outC, 3, 3] (9 floats apart, taps in reverse order: the kernel turned by 180
     * degrees), and its 36 results go to 36 runs of u.
     */
    private static void transformFilters(float[] u, int stride, float[] weight, boolean turned, int inC, int outC,
                                         int k0, int channels) {
        int laneStride = turned ? 9 : 9 * inC;
        int[] lanes = VectorWidth.strided(laneStride);
        int[] tailLanes = tailLanes(laneStride, channels);
        int tasks = (inC + FILTER_ROWS_PER_TASK - 1) / FILTER_ROWS_PER_TASK;
        CpuThreads.forEach(tasks, task -> {
            // The 9 taps of L kernels, G g (6 × 3 vectors) and G g Gᵀ (36): one array per thread, as
            // a call at 512 channels makes 512 tasks.
            float[] scratch = VectorConv2d.scratch(FILTER_STEPS, (9 + SIDE * 3 + XI) * L);
            int g = 0, gg = 9 * L, r = gg + SIDE * 3 * L;
            int last = Math.min(inC, (task + 1) * FILTER_ROWS_PER_TASK);
            for (int c = task * FILTER_ROWS_PER_TASK; c < last; c++) {
                for (int k = k0; k < k0 + channels; k += L) {
                    int valid = Math.min(L, k0 + channels - k);
                    int from = turned ? (c * outC + k) * 9 : (k * inC + c) * 9;
                    for (int tap = 0; tap < 9; tap++) {  // turned: taps in reverse order
                        gather(weight, from + (turned ? 8 - tap : tap), lanes, tailLanes, valid, scratch, g + tap * L);
                    }
                    for (int j = 0; j < 3; j++) {       // G g, column by column
                        filterSteps(scratch, g + j * L, 3 * L, scratch, gg + j * L, 3 * L);
                    }
                    for (int i = 0; i < SIDE; i++) {    // (G g) Gᵀ, row by row
                        filterSteps(scratch, gg + 3 * i * L, L, scratch, r + SIDE * i * L, L);
                    }
                    storeRows(scratch, r, XI, u, c * channels + k - k0, stride, valid);
                }
            }
        });
    }

    /**
     * G times the 3-vector of vectors g[at + i·step], into out[to + i·outStep] for i &lt; 6, with
     * G = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6], [1/24, 1/12, 1/6], [1/24, -1/12, 1/6], [0, 0, 1]].
     */
    private static void filterSteps(float[] g, int at, int step, float[] out, int to, int outStep) {
        FloatVector g0 = FloatVector.fromArray(F, g, at), g1 = FloatVector.fromArray(F, g, at + step);
        FloatVector g2 = FloatVector.fromArray(F, g, at + 2 * step);
        FloatVector outer = g0.add(g2);
        FloatVector near = g0.mul(1f / 24).add(g2.mul(1f / 6));
        FloatVector middle = g1.mul(1f / 12);
        g0.mul(0.25f).intoArray(out, to);
        outer.add(g1).mul(-1f / 6).intoArray(out, to + outStep);
        outer.sub(g1).mul(-1f / 6).intoArray(out, to + 2 * outStep);
        near.add(middle).intoArray(out, to + 3 * outStep);
        near.sub(middle).intoArray(out, to + 4 * outStep);
        g2.intoArray(out, to + 5 * outStep);
    }

    /**
     * V_ξ for every tile of one image: v[at + ξ·stride + t·inC + c] = (Bᵀ d B)[ξ] for tile t of the
     * image (row-major over its tiles) and channel c, d the 6×6 block of plane c of
     * src[from ..] starting at row 4ty - 1 and column 4tx - 1 (zero outside the plane). L channels
     * at a time. The image is first turned channels-last into a per-thread array, L channels of a
     * position gathered from L planes (lanes[l], tailLanes[l] for the last group) into one run; a
     * tile's 36 positions then load as whole vectors. Tiles overlap by two rows and two columns, so
     * this gathers each position once instead of up to four times (0.70-0.88 of the time of
     * gathering per tile position, the same values: bench/RESULTS.md, fourteenth session).
     */
    static void inputTransform(float[] v, int at, int stride, int inC, float[] src, int from, int h, int w,
                               int tilesWide, int tilesHigh, int[] lanes, int[] tailLanes) {
        int plane = h * w;
        int padded = (inC + L - 1) / L * L;             // a position's channels, then zeros to a whole vector
        float[] image = VectorConv2d.scratch(CHANNELS_LAST, plane * padded);
        for (int c = 0; c < inC; c += L) {
            int valid = Math.min(L, inC - c);
            for (int p = 0; p < plane; p++) {
                gather(src, from + c * plane + p, lanes, tailLanes, valid, image, p * padded + c);
            }
        }
        float[] d = new float[XI * L];                  // the tile, then Bᵀ d, then Bᵀ d B: 36 vectors
        FloatVector zero = FloatVector.zero(F);
        for (int ty = 0; ty < tilesHigh; ty++) {
            for (int tx = 0; tx < tilesWide; tx++) {
                int t = at + (ty * tilesWide + tx) * inC;
                for (int c = 0; c < inC; c += L) {
                    int valid = Math.min(L, inC - c);
                    for (int r = 0; r < SIDE; r++) {
                        int y = OUT * ty - 1 + r;
                        for (int s = 0; s < SIDE; s++) {
                            int x = OUT * tx - 1 + s;
                            FloatVector position = y < 0 || y >= h || x < 0 || x >= w
                                    ? zero : FloatVector.fromArray(F, image, (y * w + x) * padded + c);
                            position.intoArray(d, (SIDE * r + s) * L);
                        }
                    }
                    for (int s = 0; s < SIDE; s++) {    // Bᵀ d, column by column, in place
                        inputSteps(d, s * L, SIDE * L);
                    }
                    for (int r = 0; r < SIDE; r++) {    // (Bᵀ d) B, row by row, in place
                        inputSteps(d, SIDE * r * L, L);
                    }
                    storeRows(d, 0, XI, v, t + c, stride, valid);
                }
            }
        }
    }

    /**
     * Bᵀ times the 6-vector of vectors d[at + i·step], in place, with
     * Bᵀ = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
     *       [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]].
     * (No vector crosses a call in this class: each step reads and writes arrays. A vector passed
     * to a method the compiler did not inline is boxed, and the transforms then allocated 2 GB/s.)
     */
    private static void inputSteps(float[] d, int at, int step) {
        FloatVector d0 = FloatVector.fromArray(F, d, at), d1 = FloatVector.fromArray(F, d, at + step);
        FloatVector d2 = FloatVector.fromArray(F, d, at + 2 * step), d3 = FloatVector.fromArray(F, d, at + 3 * step);
        FloatVector d4 = FloatVector.fromArray(F, d, at + 4 * step), d5 = FloatVector.fromArray(F, d, at + 5 * step);
        FloatVector fours = d4.sub(d2.mul(4f)), ones = d3.sub(d1.mul(4f));   // rows 1 and 2: sum and difference
        FloatVector twos = d4.sub(d2), odd = d3.sub(d1).mul(2f);             // rows 3 and 4
        d0.mul(4f).sub(d2.mul(5f)).add(d4).intoArray(d, at);
        fours.add(ones).intoArray(d, at + step);
        fours.sub(ones).intoArray(d, at + 2 * step);
        twos.add(odd).intoArray(d, at + 3 * step);
        twos.sub(odd).intoArray(d, at + 4 * step);
        d1.mul(4f).sub(d3.mul(5f)).add(d5).intoArray(d, at + 5 * step);
    }

    /**
     * The offsets of the last, partial group of channels: lane l at l·plane for the channels that
     * exist, 0 for the others. Masked gathers and scatters still check every lane's index.
     */
    private static int[] tailLanes(int plane, int channels) {
        int[] lanes = new int[L];
        for (int l = 0; l < channels % L; l++) {
            lanes[l] = l * plane;
        }
        return lanes;
    }

    /**
     * scratch[at + l] = src[from + lanes[l]] for the first {@code valid} lanes (a partial group:
     * tailLanes, and 0 in the other lanes).
     */
    private static void gather(float[] src, int from, int[] lanes, int[] tailLanes, int valid, float[] scratch, int at) {
        if (valid == L) {
            FloatVector.fromArray(F, src, from, lanes, 0).intoArray(scratch, at);
        } else {
            FloatVector.fromArray(F, src, from, tailLanes, 0, F.indexInRange(0, valid)).intoArray(scratch, at);
        }
    }

    /** dst[from + lanes[l]] = scratch[at + l] for the first {@code valid} lanes (tailLanes when partial). */
    private static void scatter(float[] scratch, int at, float[] dst, int from, int[] lanes, int[] tailLanes, int valid) {
        FloatVector e = FloatVector.fromArray(F, scratch, at);
        if (valid == L) {
            e.intoArray(dst, from, lanes, 0);
        } else {
            e.intoArray(dst, from, tailLanes, 0, F.indexInRange(0, valid));
        }
    }

    /** dst[to + i·step + l] = scratch[at + i·L + l] for i &lt; rows and the first {@code valid} lanes. */
    private static void storeRows(float[] scratch, int at, int rows, float[] dst, int to, int step, int valid) {
        if (valid == L) {
            for (int i = 0; i < rows; i++) {
                FloatVector.fromArray(F, scratch, at + i * L).intoArray(dst, to + i * step);
            }
        } else {
            VectorMask<Float> part = F.indexInRange(0, valid);
            for (int i = 0; i < rows; i++) {
                FloatVector.fromArray(F, scratch, at + i * L).intoArray(dst, to + i * step, part);
            }
        }
    }

    /**
     * out[to + (k·h + y)·w + x] = bias[biasAt + k] + (Aᵀ M A) for every tile and channel k &lt; outC of one image,
     * M_ξ = m[at + ξ·stride + t·outC + k] (t the image's tile, row-major); a tile's outputs past
     * the plane's last row or column are dropped (sizes that are not multiples of 4). L channels at
     * a time into a per-thread channels-last array (a position's L channels are one vector), then
     * each plane L positions at a time: a gather from that array (lanes[l]: position p + l) and a
     * plain store, where scattering each position's L channels to L planes took 1.4-1.5 times as long
     * at 14 x 14 and 28 x 28 (bench/RESULTS.md, fourteenth session). The same values, so the same bits.
     */
    static void outputTransform(float[] out, int to, int h, int w, float[] m, int at, int stride, int outC,
                                float[] bias, int biasAt, int tilesWide, int tilesHigh) {
        int plane = h * w;
        int padded = (outC + L - 1) / L * L;            // a position's channels, then the lanes past outC
        float[] image = VectorConv2d.scratch(CHANNELS_LAST, plane * padded);
        float[] s = new float[OUT * SIDE * L];          // Aᵀ M: 4 rows × 6 columns of vectors
        float[] y4 = new float[OUT * L];                // one row of Aᵀ M A
        float[] b = new float[padded];                  // the bias of channels [0, outC), then zeros
        for (int k = 0; k < outC && bias != null; k++) {
            b[k] = bias[biasAt + k];
        }
        for (int ty = 0; ty < tilesHigh; ty++) {
            for (int tx = 0; tx < tilesWide; tx++) {
                int y = OUT * ty, x = OUT * tx;
                int rowsKept = Math.min(OUT, h - y), colsKept = Math.min(OUT, w - x);
                int t = at + (ty * tilesWide + tx) * outC;
                for (int k = 0; k < outC; k += L) {
                    // A partial group reads past its tile's last channel, into the next tile or the
                    // padding after the matrix (SET_PAD ≥ L - 1); those lanes are never stored in out.
                    for (int col = 0; col < SIDE; col++) {
                        outputSteps(m, t + k + col * stride, SIDE * stride, s, col * L, SIDE * L);
                    }
                    for (int r = 0; r < rowsKept; r++) {          // (Aᵀ M) A, row by row
                        outputSteps(s, SIDE * r * L, L, y4, 0, L);
                        int position = (y + r) * w + x;
                        for (int c = 0; c < colsKept; c++) {
                            FloatVector.fromArray(F, b, k).add(FloatVector.fromArray(F, y4, c * L))
                                    .intoArray(image, (position + c) * padded + k);
                        }
                    }
                }
            }
        }
        int[] positions = VectorWidth.strided(padded);  // lane l: position p + l of one channel
        int p = 0;
        for (; p <= plane - L; p += L) {
            for (int k = 0; k < outC; k++) {
                FloatVector.fromArray(F, image, p * padded + k, positions, 0).intoArray(out, to + k * plane + p);
            }
        }
        for (; p < plane; p++) {
            for (int k = 0; k < outC; k++) {
                out[to + k * plane + p] = image[p * padded + k];
            }
        }
    }

    /**
     * Aᵀ times the 6-vector of vectors m[at + i·step], into out[to + i·outStep] for i &lt; 4, with
     * Aᵀ = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]].
     */
    private static void outputSteps(float[] m, int at, int step, float[] out, int to, int outStep) {
        FloatVector m0 = FloatVector.fromArray(F, m, at), m1 = FloatVector.fromArray(F, m, at + step);
        FloatVector m2 = FloatVector.fromArray(F, m, at + 2 * step), m3 = FloatVector.fromArray(F, m, at + 3 * step);
        FloatVector m4 = FloatVector.fromArray(F, m, at + 4 * step), m5 = FloatVector.fromArray(F, m, at + 5 * step);
        FloatVector ones = m1.add(m2), oneDiff = m1.sub(m2), twos = m3.add(m4), twoDiff = m3.sub(m4);
        m0.add(ones).add(twos).intoArray(out, to);
        oneDiff.add(twoDiff.mul(2f)).intoArray(out, to + outStep);
        ones.add(twos.mul(4f)).intoArray(out, to + 2 * outStep);
        oneDiff.add(twoDiff.mul(8f)).add(m5).intoArray(out, to + 3 * outStep);
    }

    /**
     * dM_ξ for every tile of one image's output gradient: dm[(k / block)·36·stride + ξ·stride + t·width
     * + k mod block] = (A dY Aᵀ)[ξ] for tile t of the chunk (the image's first at {@code tile}),
     * width the block's channels (block, or what the last block has), dY the 4×4 block of plane k of
     * src[from ..] at row 4ty and column 4tx (zero past the plane). L channels at a time; a group of
     * L never straddles two blocks (blocks are whole column panels, 2L wide).
     */
    static void gradientTransform(float[] dm, int tile, int stride, int block, int outC, float[] src,
                                  int from, int h, int w, int tilesWide, int tilesHigh, int[] lanes, int[] tailLanes) {
        int plane = h * w;
        float[] y = new float[OUT * OUT * L];           // the tile of dY
        float[] e = new float[SIDE * OUT * L];          // A dY: 6 rows × 4 columns
        float[] f = new float[XI * L];                  // A dY Aᵀ
        FloatVector zero = FloatVector.zero(F);
        for (int ty = 0; ty < tilesHigh; ty++) {
            for (int tx = 0; tx < tilesWide; tx++) {
                int t = tile + ty * tilesWide + tx;
                for (int k = 0; k < outC; k += L) {
                    int valid = Math.min(L, outC - k);
                    for (int r = 0; r < OUT; r++) {
                        int yy = OUT * ty + r;
                        for (int c = 0; c < OUT; c++) {
                            int xx = OUT * tx + c;
                            if (yy >= h || xx >= w) {
                                zero.intoArray(y, (OUT * r + c) * L);
                            } else {
                                gather(src, from + k * plane + yy * w + xx, lanes, tailLanes, valid, y, (OUT * r + c) * L);
                            }
                        }
                    }
                    for (int c = 0; c < OUT; c++) {     // A dY, column by column
                        gradientSteps(y, c * L, OUT * L, e, c * L, OUT * L);
                    }
                    for (int r = 0; r < SIDE; r++) {    // (A dY) Aᵀ, row by row
                        gradientSteps(e, OUT * r * L, L, f, SIDE * r * L, L);
                    }
                    int b = k / block;
                    int width = Math.min(block, outC - b * block);
                    storeRows(f, 0, XI, dm, b * XI * stride + t * width + k - b * block, stride, valid);
                }
            }
        }
    }

    /**
     * A times the 4-vector of vectors y[at + i·step], into out[to + i·outStep] for i &lt; 6, with
     * A = (Aᵀ)ᵀ = [[1, 0, 0, 0], [1, 1, 1, 1], [1, -1, 1, -1], [1, 2, 4, 8], [1, -2, 4, -8], [0, 0, 0, 1]].
     */
    private static void gradientSteps(float[] y, int at, int step, float[] out, int to, int outStep) {
        FloatVector y0 = FloatVector.fromArray(F, y, at), y1 = FloatVector.fromArray(F, y, at + step);
        FloatVector y2 = FloatVector.fromArray(F, y, at + 2 * step), y3 = FloatVector.fromArray(F, y, at + 3 * step);
        FloatVector even = y0.add(y2), odd = y1.add(y3);                       // rows 1 and 2
        FloatVector evenFours = y0.add(y2.mul(4f)), oddTwos = y1.mul(2f).add(y3.mul(8f));   // rows 3 and 4
        y0.intoArray(out, to);
        even.add(odd).intoArray(out, to + outStep);
        even.sub(odd).intoArray(out, to + 2 * outStep);
        evenFours.add(oddTwos).intoArray(out, to + 3 * outStep);
        evenFours.sub(oddTwos).intoArray(out, to + 4 * outStep);
        y3.intoArray(out, to + 5 * outStep);
    }

    /**
     * gradWeight[k, c] = Gᵀ dU(c, k) G for the output channels k0 ≤ k &lt; k0 + channels, dU(c, k)[ξ] =
     * du[at + ξ·stride + c·channels + k - k0]. L channels at a time: lane l scatters its 9 taps to
     * kernel (k + l, c) of gradWeight [outC, inC, 3, 3], 9·inC floats on.
     */
    private static void filterGradientTransform(float[] gradWeight, float[] du, int at, int stride, int inC,
                                                int k0, int channels) {
        int[] lanes = VectorWidth.strided(9 * inC);
        int[] tail = tailLanes(9 * inC, channels);
        int tasks = (inC + FILTER_ROWS_PER_TASK - 1) / FILTER_ROWS_PER_TASK;
        CpuThreads.forEach(tasks, task -> {
            // dU of L kernels (36 vectors), Gᵀ dU (3 × 6) and Gᵀ dU G (9): one array per thread.
            float[] scratch = VectorConv2d.scratch(FILTER_STEPS, (XI + 3 * SIDE + 9) * L);
            int d = 0, e = XI * L, r = e + 3 * SIDE * L;
            int last = Math.min(inC, (task + 1) * FILTER_ROWS_PER_TASK);
            for (int c = task * FILTER_ROWS_PER_TASK; c < last; c++) {
                for (int k = 0; k < channels; k += L) {
                    int valid = Math.min(L, channels - k);
                    int from = at + c * channels + k;
                    for (int xi = 0; xi < XI; xi++) {   // past the row's end: the next row or the padding
                        FloatVector.fromArray(F, du, from + xi * stride).intoArray(scratch, d + xi * L);
                    }
                    for (int j = 0; j < SIDE; j++) {    // Gᵀ dU, column by column
                        filterGradientSteps(scratch, d + j * L, SIDE * L, scratch, e + j * L, SIDE * L);
                    }
                    for (int i = 0; i < 3; i++) {       // (Gᵀ dU) G, row by row
                        filterGradientSteps(scratch, e + SIDE * i * L, L, scratch, r + 3 * i * L, L);
                    }
                    int to = ((k0 + k) * inC + c) * 9;
                    for (int tap = 0; tap < 9; tap++) {
                        scatter(scratch, r + tap * L, gradWeight, to + tap, lanes, tail, valid);
                    }
                }
            }
        });
    }

    /**
     * Gᵀ times the 6-vector of vectors u[at + i·step], into out[to + i·outStep] for i &lt; 3, with
     * Gᵀ = [[1/4, -1/6, -1/6, 1/24, 1/24, 0], [0, -1/6, 1/6, 1/12, -1/12, 0], [0, -1/6, -1/6, 1/6, 1/6, 1]].
     */
    private static void filterGradientSteps(float[] u, int at, int step, float[] out, int to, int outStep) {
        FloatVector u0 = FloatVector.fromArray(F, u, at), u1 = FloatVector.fromArray(F, u, at + step);
        FloatVector u2 = FloatVector.fromArray(F, u, at + 2 * step), u3 = FloatVector.fromArray(F, u, at + 3 * step);
        FloatVector u4 = FloatVector.fromArray(F, u, at + 4 * step), u5 = FloatVector.fromArray(F, u, at + 5 * step);
        FloatVector ones = u1.add(u2), twos = u3.add(u4);
        u0.mul(0.25f).sub(ones.mul(1f / 6)).add(twos.mul(1f / 24)).intoArray(out, to);
        u2.sub(u1).mul(1f / 6).add(u3.sub(u4).mul(1f / 12)).intoArray(out, to + outStep);
        twos.sub(ones).mul(1f / 6).add(u5).intoArray(out, to + 2 * outStep);
    }
}
