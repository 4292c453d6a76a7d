package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation over x {@code [N, C, S]}: the same contracts as {@code ReferenceBatchNorm}.
 * Planes of {@link #STREAMED_MIN_SPATIAL} floats or more go to {@link VectorStreamedBatchNorm}; smaller
 * ones (14 x 14, 7 x 7) are done here, where a plane is too short for sums of its own to pay.
 *
 * <p>The channels are cut into blocks, one task each over {@link CpuThreads}: a block of channels
 * is read and written by one thread only. The writing passes go image after image (for one image the
 * block's planes are contiguous, so even 7 x 7 planes stream through memory); the summing passes go
 * channel after channel over a group of images (below). Forward reads a block's x for the mean,
 * again for the squared deviations, once more to write y; backward reads dy and x for the two
 * sums, again to write dx. The blocks are few and long (one or two per thread, {@link #blocksPerThread},
 * at most {@link #FLOATS_PER_BLOCK} floats): what pays here is a long contiguous run per image, which
 * the hardware prefetchers follow, not a block cut small to stay in the core's L2 between
 * passes (twelfth session: at [32, 256, 14, 14] the 16-channel L2 blocks took 1.2-1.5x as long).
 * The two passes that write take a plane's last floats four at a time before the scalar rest (14 x 14
 * is 12 vectors of 16 and 4 floats): the same operations element by element, so the same bits.
 *
 * <p>Per-channel sums: the batch is taken in groups of {@link #imagesPerFlush} images (at most
 * {@link #LANE_TERMS} additions per lane). For each channel of the block, one vector of lane sums (and
 * a scalar for the tails of its planes) runs over the group's planes in image order, in a register;
 * then its lanes are added in lane order and the result goes into the channel's double total. So a
 * 7 x 7 plane costs a few vector additions and no horizontal sum, a 56 x 56 plane flushes after
 * itself, float rounding stays below about 64 ulps of a partial sum, and the order of every addition
 * depends on the sizes alone: the bits do not depend on the thread count. A channel's planes in a
 * group lie a whole image apart, so the loop reads one run per image of the group side by side (5 at
 * 14 x 14), which the prefetchers follow as well as one run. Before the thirteenth session the lane
 * sums lived in arrays, visited image by image: the same additions in the same order, so the same
 * bits, and forward + backward took 1.01-1.14x as long in paired calls at [32, 256, 14, 14] and
 * 1.25-1.34x at [32, 512, 7, 7] (JMH, forks a minute apart: 1.01x, level, and 1.04x at the quality
 * runs' [128, 128, 8, 8]).
 */
final class VectorBatchNorm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Four lanes, for the last few floats of a plane (14 x 14 = 12 vectors of 16 and 4 floats). */
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    /**
     * Plane size from which VectorStreamedBatchNorm is faster (BatchNormBenchmark, ninth session: faster at
     * 28 x 28 and 56 x 56; at 14 x 14 and 7 x 7 forward + backward took 1.1-1.3 and 2.5 times as long).
     * Checked again with the long blocks (twelfth session, paired probe): the blocks 0.87-0.92 of the
     * streamed time at [32, 128, 28, 28], level at [32, 64, 56, 56], 1.27x at [128, 64, 32, 32]: kept.
     */
    static final int STREAMED_MIN_SPATIAL = 512;
    /** Floats of one block of channels over the whole batch, at most: 4 MB, within a share of the L3. */
    private static final int FLOATS_PER_BLOCK = 1 << 20;
    /**
     * A block's floats over the batch, at most, for its dy and x to stay together in a core's 1 MB L2 between the
     * backward's two passes (512 KB each). See {@link #blocksPerThread}.
     */
    private static final int L2_BLOCK_FLOATS = 1 << 17;
    /** Float additions a lane makes before its sum moves into the double total. */
    private static final int LANE_TERMS = 64;

    private VectorBatchNorm() {
    }

    static void trainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                float[] bias, float eps, int batch, int channels, int spatial) {
        if (spatial >= STREAMED_MIN_SPATIAL) {
            VectorStreamedBatchNorm.trainingForward(output, mean, variance, input, weight, bias, eps, batch, channels,
                    spatial);
            return;
        }
        double count = (double) batch * spatial;
        float[] scale = new float[channels];
        forBlocks(batch, channels, spatial, (c0, c1) -> {
            ChannelSums sums = new ChannelSums(c0, c1, channels, spatial);
            for (int n0 = 0; n0 < batch; n0 += sums.imagesPerGroup) {
                sums.addPlanes(input, n0, Math.min(batch, n0 + sums.imagesPerGroup));
            }
            for (int c = c0; c < c1; c++) mean[c] = (float) (sums.total(c) / count);
            sums.clear();
            for (int n0 = 0; n0 < batch; n0 += sums.imagesPerGroup) {
                sums.addSquaredDeviations(input, n0, Math.min(batch, n0 + sums.imagesPerGroup), mean);
            }
            for (int c = c0; c < c1; c++) variance[c] = (float) (sums.total(c) / count);
            normalizeBlock(output, input, mean, variance, weight, bias, eps, scale, c0, c1, batch, channels, spatial);
        });
    }

    static void forward(float[] output, float[] input, float[] mean, float[] variance, float[] weight, float[] bias,
                        float eps, int batch, int channels, int spatial) {
        if (spatial >= STREAMED_MIN_SPATIAL) {
            VectorStreamedBatchNorm.forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
            return;
        }
        float[] scale = new float[channels];
        forBlocks(batch, channels, spatial, (c0, c1) ->
                normalizeBlock(output, input, mean, variance, weight, bias, eps, scale, c0, c1, batch, channels,
                        spatial));
    }

    static void backward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                         float[] mean, float[] variance, float[] weight, float eps, boolean batchStatistics,
                         int batch, int channels, int spatial) {
        if (spatial >= STREAMED_MIN_SPATIAL) {
            VectorStreamedBatchNorm.backward(gradInput, gradWeight, gradBias, gradOutput, input, mean, variance,
                    weight, eps, batchStatistics, batch, channels, spatial);
            return;
        }
        double count = (double) batch * spatial;
        float[] meanDy = new float[channels];
        float[] slope = new float[channels];
        float[] scale = new float[channels];
        forBlocks(batch, channels, spatial, (c0, c1) -> {
            ChannelSums sumDy = new ChannelSums(c0, c1, channels, spatial);
            ChannelSums sumDyCentred = new ChannelSums(c0, c1, channels, spatial);   // Σ dy · (x - mean); times invStd, Σ dy · xhat
            for (int n0 = 0; n0 < batch; n0 += sumDy.imagesPerGroup) {
                ChannelSums.addGradientSums(sumDy, sumDyCentred, input, gradOutput, n0,
                        Math.min(batch, n0 + sumDy.imagesPerGroup), mean);
            }
            for (int c = c0; c < c1; c++) {
                float invStd = ReferenceBatchNorm.invStd(variance[c], eps);
                double sumDyXhat = sumDyCentred.total(c) * invStd;
                gradBias[c] = (float) sumDy.total(c);
                gradWeight[c] = (float) sumDyXhat;
                scale[c] = weight[c] * invStd;
                meanDy[c] = batchStatistics ? (float) (sumDy.total(c) / count) : 0f;
                // dx = (dy - meanDy - (x - mean) · invStd · meanDyXhat) · scale
                slope[c] = batchStatistics ? (float) (sumDyXhat / count) * invStd : 0f;
            }
            for (int n = 0; n < batch; n++) {
                gradInputPlanes(gradInput, gradOutput, input, (n * channels + c0) * spatial, spatial, c0, c1, mean,
                        meanDy, slope, scale);
            }
        });
    }

    private interface ChannelRange {
        void run(int from, int to);
    }

    /**
     * Runs body over blocks of channels, one task each, {@link #blocksPerThread} per thread when there
     * are that many channels. The blocks depend on the thread count, the bits do not: a channel's sums
     * are its own, in image order, whichever block holds it.
     */
    private static void forBlocks(int batch, int channels, int spatial, ChannelRange body) {
        long fitting = Math.max(1, FLOATS_PER_BLOCK / ((long) batch * spatial));
        int threads = CpuThreads.threads();
        int minBlocks = blocksPerThread(batch, channels, spatial, threads) * threads;
        int perBlock = (int) Math.min(fitting, (channels + minBlocks - 1) / minBlocks);
        int blocks = (channels + perBlock - 1) / perBlock;
        CpuThreads.forEach(blocks, b -> body.run(b * perBlock, Math.min(channels, (b + 1) * perBlock)));
    }

    /**
     * Two blocks a thread where blocks that small fit {@link #L2_BLOCK_FLOATS} (so that a slowed thread
     * takes fewer, and the backward's second pass reads its block from L2), one where they would not: then
     * no block stays in L2 anyway, and what pays is the longest run per image for the prefetchers.
     * Fifteenth session, paired calls against two blocks a thread everywhere: [32, 256, 14, 14] 0.94,
     * [32, 128, 14, 14] 0.97-0.98, [128, 64, 16, 16] 0.82-0.84, [32, 512, 7, 7] 0.97-0.98; one block a
     * thread at [32, 256, 7, 7], whose two-a-thread blocks fit, took 1.06-1.08 and is left at two.
     */
    static int blocksPerThread(int batch, int channels, int spatial, int threads) {
        long halfShare = (channels + 2L * threads - 1) / (2L * threads);
        return (long) batch * spatial * halfShare <= L2_BLOCK_FLOATS ? 2 : 1;
    }

    /** Images between two flushes of the lane sums: at most LANE_TERMS vector additions per lane. */
    static int imagesPerFlush(int spatial) {
        return Math.max(1, LANE_TERMS / Math.max(1, spatial / L));
    }

    /**
     * Per-channel sums of a block of channels [c0, c1) of x {@code [N, C, S]}: totals[c - c0] is
     * channel c's sum so far, in double. Each add method takes a group of images [n0, n1) and, channel
     * by channel, adds the group's planes into one vector of lane sums and a scalar for the planes'
     * tails, then {@link #flush}es them into the total: a call per group, not per plane, and the lane
     * sums never leave a register.
     */
    private static final class ChannelSums {
        private final double[] totals;
        private final float[] lanes = new float[L];
        private final int c0;
        private final int channels;
        private final int spatial;
        private final int bound;
        /** Images of a group: the flush interval. */
        final int imagesPerGroup;

        ChannelSums(int c0, int c1, int channels, int spatial) {
            this.totals = new double[c1 - c0];
            this.c0 = c0;
            this.channels = channels;
            this.spatial = spatial;
            this.bound = F.loopBound(spatial);
            this.imagesPerGroup = imagesPerFlush(spatial);
        }

        /** Where channel c's plane of image n starts. */
        private int plane(int n, int c) {
            return (n * channels + c) * spatial;
        }

        /** Channel c += Σ x over its planes of images [n0, n1), for every channel c of the block. */
        void addPlanes(float[] x, int n0, int n1) {
            for (int j = 0; j < totals.length; j++) {
                FloatVector acc = FloatVector.zero(F);
                float tail = 0f;
                for (int n = n0; n < n1; n++) {
                    int at = plane(n, c0 + j);
                    int s = 0;
                    for (; s < bound; s += L) acc = acc.add(FloatVector.fromArray(F, x, at + s));
                    for (; s < spatial; s++) tail += x[at + s];
                }
                flush(j, acc, tail);
            }
        }

        /** Channel c += Σ (x - mean[c])² over its planes of images [n0, n1), for every channel c of the block. */
        void addSquaredDeviations(float[] x, int n0, int n1, float[] mean) {
            for (int j = 0; j < totals.length; j++) {
                float m = mean[c0 + j];
                FloatVector mv = FloatVector.broadcast(F, m);
                FloatVector acc = FloatVector.zero(F);
                float tail = 0f;
                for (int n = n0; n < n1; n++) {
                    int at = plane(n, c0 + j);
                    int s = 0;
                    for (; s < bound; s += L) {
                        FloatVector d = FloatVector.fromArray(F, x, at + s).sub(mv);
                        acc = d.fma(d, acc);
                    }
                    for (; s < spatial; s++) {
                        float d = x[at + s] - m;
                        tail = Math.fma(d, d, tail);
                    }
                }
                flush(j, acc, tail);
            }
        }

        /**
         * For every channel c of the block, over its planes of images [n0, n1): sumDy += Σ dy and
         * sumDyCentred += Σ (x - mean[c]) · dy (both sums of the same block).
         */
        static void addGradientSums(ChannelSums sumDy, ChannelSums sumDyCentred, float[] x, float[] dy, int n0, int n1,
                                    float[] mean) {
            int spatial = sumDy.spatial;
            int bound = sumDy.bound;
            for (int j = 0; j < sumDy.totals.length; j++) {
                float m = mean[sumDy.c0 + j];
                FloatVector mv = FloatVector.broadcast(F, m);
                FloatVector a = FloatVector.zero(F);
                FloatVector b = FloatVector.zero(F);
                float t = 0f;
                float u = 0f;
                for (int n = n0; n < n1; n++) {
                    int at = sumDy.plane(n, sumDy.c0 + j);
                    int s = 0;
                    for (; s < bound; s += L) {
                        FloatVector g = FloatVector.fromArray(F, dy, at + s);
                        a = a.add(g);
                        b = FloatVector.fromArray(F, x, at + s).sub(mv).fma(g, b);
                    }
                    for (; s < spatial; s++) {
                        t += dy[at + s];
                        u = Math.fma(x[at + s] - m, dy[at + s], u);
                    }
                }
                sumDy.flush(j, a, t);
                sumDyCentred.flush(j, b, u);
            }
        }

        /** totals[j] += the lanes of acc added in lane order, plus tail (that sum in float). */
        private void flush(int j, FloatVector acc, float tail) {
            acc.intoArray(lanes, 0);
            float s = 0f;
            for (int i = 0; i < L; i++) s += lanes[i];
            totals[j] += s + tail;
        }

        /** The sum of channel c (of the block) so far. */
        double total(int c) {
            return totals[c - c0];
        }

        void clear() {
            java.util.Arrays.fill(totals, 0.0);
        }
    }

    /**
     * y = (x - mean[c]) · invStd[c] · weight[c] + bias[c] over the planes of channels [c0, c1); fills
     * scale[c] = invStd[c] · weight[c] for those channels on the way.
     */
    private static void normalizeBlock(float[] output, float[] input, float[] mean, float[] variance, float[] weight,
                                       float[] bias, float eps, float[] scale, int c0, int c1, int batch, int channels,
                                       int spatial) {
        for (int c = c0; c < c1; c++) scale[c] = ReferenceBatchNorm.invStd(variance[c], eps) * weight[c];
        for (int n = 0; n < batch; n++) {
            normalizePlanes(output, input, (n * channels + c0) * spatial, spatial, c0, c1, mean, scale, bias);
        }
    }

    /**
     * y = (x - mean[c]) · scale[c] + shift[c] over the planes of channels c0, c0 + 1, ..., c1 - 1, which
     * lie one after the other from {@code at}. The last floats of a plane go four at a time, then one by
     * one: the same operations element by element, so the same bits.
     */
    static void normalizePlanes(float[] output, float[] input, int at, int spatial, int c0, int c1, float[] mean,
                                float[] scale, float[] shift) {
        int bound = F.loopBound(spatial);
        for (int c = c0; c < c1; c++, at += spatial) {
            float m = mean[c];
            float k = scale[c];
            float t = shift[c];
            FloatVector mv = FloatVector.broadcast(F, m);
            FloatVector kv = FloatVector.broadcast(F, k);
            FloatVector tv = FloatVector.broadcast(F, t);
            int s = 0;
            for (; s < bound; s += L) {
                FloatVector.fromArray(F, input, at + s).sub(mv).fma(kv, tv).intoArray(output, at + s);
            }
            if (L > 4) {
                FloatVector mv4 = FloatVector.broadcast(F4, m);
                FloatVector kv4 = FloatVector.broadcast(F4, k);
                FloatVector tv4 = FloatVector.broadcast(F4, t);
                for (; s + 4 <= spatial; s += 4) {
                    FloatVector.fromArray(F4, input, at + s).sub(mv4).fma(kv4, tv4).intoArray(output, at + s);
                }
            }
            for (; s < spatial; s++) output[at + s] = Math.fma(input[at + s] - m, k, t);
        }
    }

    /**
     * dx = (dy - meanDy[c] - (x - mean[c]) · slope[c]) · scale[c] over the planes of channels c0 ...
     * c1 - 1, one after the other from {@code at}; tails as in {@link #normalizePlanes}.
     */
    static void gradInputPlanes(float[] dx, float[] dy, float[] x, int at, int spatial, int c0, int c1, float[] mean,
                                float[] meanDy, float[] slope, float[] scale) {
        int bound = F.loopBound(spatial);
        for (int c = c0; c < c1; c++, at += spatial) {
            float m = mean[c];
            float md = meanDy[c];
            float k = scale[c];
            FloatVector mv = FloatVector.broadcast(F, m);
            FloatVector negSlope = FloatVector.broadcast(F, -slope[c]);
            FloatVector mdv = FloatVector.broadcast(F, md);
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector g = FloatVector.fromArray(F, dy, at + i).sub(mdv);
                FloatVector.fromArray(F, x, at + i).sub(mv).fma(negSlope, g).mul(k).intoArray(dx, at + i);
            }
            if (L > 4) {
                FloatVector mv4 = FloatVector.broadcast(F4, m);
                FloatVector negSlope4 = FloatVector.broadcast(F4, -slope[c]);
                FloatVector mdv4 = FloatVector.broadcast(F4, md);
                for (; i + 4 <= spatial; i += 4) {
                    FloatVector g = FloatVector.fromArray(F4, dy, at + i).sub(mdv4);
                    FloatVector.fromArray(F4, x, at + i).sub(mv4).fma(negSlope4, g).mul(k).intoArray(dx, at + i);
                }
            }
            for (; i < spatial; i++) dx[at + i] = Math.fma(x[at + i] - m, -slope[c], dy[at + i] - md) * k;
        }
    }
}
