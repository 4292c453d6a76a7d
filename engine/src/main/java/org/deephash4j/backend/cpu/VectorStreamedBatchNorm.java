package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation over x {@code [N, C, S]} with large planes (S of a few hundred floats or
 * more; {@link VectorBatchNorm} chooses): the same contracts as {@code ReferenceBatchNorm}.
 *
 * <p>The tensor is N·C planes of S floats, one after the other; every pass streams through them in
 * memory order, in fixed runs of planes ({@link #FLOATS_PER_TASK} floats or so), one task each over
 * {@link CpuThreads}. Walking a channel image by image instead (a block of channels kept in cache
 * for the next pass) jumps every C·S floats; at 56 x 56 it read memory about 1.5 times slower than a
 * straight stream (bench/RESULTS.md, ninth session).
 *
 * <p>Statistics without a second pass over memory: each plane's sums are taken around the plane's own
 * mean (Chan, Golub and LeVeque's pairwise update). A first pass gives the plane's mean m_p; a second
 * pass, while the plane is still in the core's cache (L1 up to 56 x 56), gives s1_p = Σ (x - m_p) and
 * s2_p = Σ (x - m_p)². The channel's mean is then (Σ_p S·m_p + s1_p) / M and, exactly for any mean,
 * Σ (x - mean)² = Σ_p [ s2_p + 2 (m_p - mean) s1_p + S (m_p - mean)² ], added in double in image
 * order around the mean as stored in float (the reference measures the variance around it too). Float lanes only ever hold deviations from a plane's own mean, so an input far from zero
 * (mean 1000, deviation 1) keeps its variance's digits. The backward's two sums (Σ dy and
 * Σ (x - mean) dy) are per plane too, added the same way.
 *
 * <p>Every plane sum is a float vector of lane sums, flushed into a double after at most
 * {@link #LANE_TERMS} vector additions and at the end of the plane, its lanes added in a fixed
 * order. The order of every addition depends on the sizes alone: the bits do not depend on the
 * thread count.
 */
final class VectorStreamedBatchNorm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Floats one task streams through: runs of whole planes of about this size. */
    private static final int FLOATS_PER_TASK = 1 << 15;
    /** Float additions a lane makes before its sum moves into a double. */
    private static final int LANE_TERMS = 64;

    private VectorStreamedBatchNorm() {
    }

    static void trainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                float[] bias, float eps, int batch, int channels, int spatial) {
        int planes = batch * channels;
        float[] planeMean = new float[planes];
        double[] deviations = new double[planes];          // s1_p = Σ (x - m_p)
        double[] squaredDeviations = new double[planes];   // s2_p = Σ (x - m_p)²
        forRuns(planes, spatial, (p0, p1) -> {
            PlaneSum sum = new PlaneSum();
            for (int p = p0; p < p1; p++) {
                int at = p * spatial;
                float m = (float) (sum.of(input, at, spatial) / spatial);
                planeMean[p] = m;
                sum.centredSums(input, m, input, m, at, spatial);
                deviations[p] = sum.first;
                squaredDeviations[p] = sum.second;
            }
        });
        double count = (double) batch * spatial;
        for (int c = 0; c < channels; c++) {
            double total = 0.0;
            for (int n = 0; n < batch; n++) {
                int p = n * channels + c;
                total += spatial * (double) planeMean[p] + deviations[p];
            }
            float m = (float) (total / count);
            double squares = 0.0;
            for (int n = 0; n < batch; n++) {
                int p = n * channels + c;
                double shift = (double) planeMean[p] - m;
                squares += squaredDeviations[p] + 2.0 * shift * deviations[p] + spatial * shift * shift;
            }
            mean[c] = m;
            variance[c] = (float) (squares / count);
        }
        forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
    }

    static void forward(float[] output, float[] input, float[] mean, float[] variance, float[] weight, float[] bias,
                        float eps, int batch, int channels, int spatial) {
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) scale[c] = ReferenceBatchNorm.invStd(variance[c], eps) * weight[c];
        forRuns(batch * channels, spatial, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int c = p % channels;
                VectorBatchNorm.normalizePlanes(output, input, p * spatial, spatial, c, c + 1, mean, scale, bias);
            }
        });
    }

    static void backward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                         float[] mean, float[] variance, float[] weight, float eps, boolean batchStatistics,
                         int batch, int channels, int spatial) {
        int planes = batch * channels;
        double[] planeSumDy = new double[planes];
        double[] planeSumDyCentred = new double[planes];   // Σ dy · (x - mean); times invStd, Σ dy · xhat
        forRuns(planes, spatial, (p0, p1) -> {
            PlaneSum sum = new PlaneSum();
            for (int p = p0; p < p1; p++) {
                sum.centredSums(gradOutput, 0f, input, mean[p % channels], p * spatial, spatial);
                planeSumDy[p] = sum.first;
                planeSumDyCentred[p] = sum.second;
            }
        });
        double count = (double) batch * spatial;
        float[] meanDy = new float[channels];
        float[] slope = new float[channels];
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sumDy = 0.0;
            double sumDyCentred = 0.0;
            for (int n = 0; n < batch; n++) {
                sumDy += planeSumDy[n * channels + c];
                sumDyCentred += planeSumDyCentred[n * channels + c];
            }
            float invStd = ReferenceBatchNorm.invStd(variance[c], eps);
            double sumDyXhat = sumDyCentred * invStd;
            gradBias[c] = (float) sumDy;
            gradWeight[c] = (float) sumDyXhat;
            scale[c] = weight[c] * invStd;
            meanDy[c] = batchStatistics ? (float) (sumDy / count) : 0f;
            // dx = (dy - meanDy - (x - mean) · invStd · meanDyXhat) · scale
            slope[c] = batchStatistics ? (float) (sumDyXhat / count) * invStd : 0f;
        }
        forRuns(planes, spatial, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int c = p % channels;
                VectorBatchNorm.gradInputPlanes(gradInput, gradOutput, input, p * spatial, spatial, c, c + 1, mean,
                        meanDy, slope, scale);
            }
        });
    }

    private interface PlaneRun {
        void run(int from, int to);
    }

    /** Runs body over fixed runs of whole planes, one task each; the runs depend on the sizes only. */
    private static void forRuns(int planes, int spatial, PlaneRun body) {
        int perRun = Math.max(1, FLOATS_PER_TASK / Math.max(1, spatial));
        int runs = (planes + perRun - 1) / perRun;
        CpuThreads.forEach(runs, r -> body.run(r * perRun, Math.min(planes, (r + 1) * perRun)));
    }

    /**
     * Sums over one plane in double, from float lanes flushed every {@link #LANE_TERMS} vector
     * additions (lanes added pairwise in a fixed order) and a float sum of the plane's scalar tail.
     * One per task: it holds the scratch for the lanes and the last results.
     */
    private static final class PlaneSum {
        private final float[] lanes = new float[L];
        /** The two sums of the last {@link #centredSums} call. */
        double first;
        double second;

        /** Σ x[at .. at + n). */
        double of(float[] x, int at, int n) {
            double total = 0.0;
            int bound = at + F.loopBound(n);
            int i = at;
            while (i < bound) {
                int stop = Math.min(bound, i + LANE_TERMS * L);
                FloatVector acc = FloatVector.zero(F);
                for (; i < stop; i += L) acc = acc.add(FloatVector.fromArray(F, x, i));
                total += inOrder(acc);
            }
            float tail = 0f;
            for (; i < at + n; i++) tail += x[i];
            return total + tail;
        }

        /**
         * first = Σ (a - p), second = Σ (a - p) · (b - q) over [at, at + n) of a and b: the plane's
         * deviations and squared deviations from m with (x, m, x, m), the backward's Σ dy and
         * Σ dy · (x - mean) with (dy, 0, x, mean).
         */
        void centredSums(float[] a, float p, float[] b, float q, int at, int n) {
            FloatVector pv = FloatVector.broadcast(F, p);
            FloatVector qv = FloatVector.broadcast(F, q);
            double one = 0.0;
            double two = 0.0;
            int bound = at + F.loopBound(n);
            int i = at;
            while (i < bound) {
                int stop = Math.min(bound, i + LANE_TERMS * L);
                FloatVector acc1 = FloatVector.zero(F);
                FloatVector acc2 = FloatVector.zero(F);
                for (; i < stop; i += L) {
                    FloatVector u = FloatVector.fromArray(F, a, i).sub(pv);
                    acc1 = acc1.add(u);
                    acc2 = FloatVector.fromArray(F, b, i).sub(qv).fma(u, acc2);
                }
                one += inOrder(acc1);
                two += inOrder(acc2);
            }
            float tail1 = 0f;
            float tail2 = 0f;
            for (; i < at + n; i++) {
                float u = a[i] - p;
                tail1 += u;
                tail2 = Math.fma(b[i] - q, u, tail2);
            }
            first = one + tail1;
            second = two + tail2;
        }

        /** The lanes' sum, added pairwise (lane i + lane i + w, halving w): the same order every time. */
        private float inOrder(FloatVector v) {
            v.intoArray(lanes, 0);
            for (int w = L / 2; w >= 1; w /= 2) {
                for (int i = 0; i < w; i++) lanes[i] += lanes[i + w];
            }
            return lanes[0];
        }
    }
}
