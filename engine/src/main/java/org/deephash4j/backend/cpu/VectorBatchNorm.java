package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation over x {@code [N, C, S]}: the same contracts as {@code ReferenceBatchNorm}.
 *
 * <p>One task per channel over {@link CpuThreads}: a channel's N planes of S floats are read by
 * one thread, which computes its statistics and then rewrites it, so each sum runs in one fixed
 * order (plane by plane, each plane in vector lanes added in lane order by {@link LaneSum} and the
 * plane sums added in double) and the bits do not depend on the thread count. The passes over a
 * channel follow each other while the channel is still in the core's cache (ResNet-18's largest,
 * [32, 64, 112, 112], is 1.6 MB a channel): forward reads x for the mean, again for the squared
 * deviations, once more to write y; backward reads dy and x for the two sums, again to write dx.
 */
final class VectorBatchNorm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();

    private VectorBatchNorm() {
    }

    static void trainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                float[] bias, float eps, int batch, int channels, int spatial) {
        double count = (double) batch * spatial;
        CpuThreads.forEach(channels, c -> {
            double sum = 0.0;
            for (int n = 0; n < batch; n++) sum += sum(input, (n * channels + c) * spatial, spatial);
            float m = (float) (sum / count);
            double squares = 0.0;
            for (int n = 0; n < batch; n++) squares += squaredDeviations(input, (n * channels + c) * spatial, spatial, m);
            mean[c] = m;
            variance[c] = (float) (squares / count);
            normalizeChannel(output, input, m, ReferenceBatchNorm.invStd(variance[c], eps) * weight[c], bias[c],
                    c, batch, channels, spatial);
        });
    }

    static void forward(float[] output, float[] input, float[] mean, float[] variance, float[] weight, float[] bias,
                        float eps, int batch, int channels, int spatial) {
        CpuThreads.forEach(channels, c -> normalizeChannel(output, input, mean[c],
                ReferenceBatchNorm.invStd(variance[c], eps) * weight[c], bias[c], c, batch, channels, spatial));
    }

    static void backward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                         float[] mean, float[] variance, float[] weight, float eps, boolean batchStatistics,
                         int batch, int channels, int spatial) {
        double count = (double) batch * spatial;
        CpuThreads.forEach(channels, c -> {
            float m = mean[c];
            float invStd = ReferenceBatchNorm.invStd(variance[c], eps);
            double sumDy = 0.0;
            double sumDyCentred = 0.0;     // Σ dy · (x - mean); times invStd it is Σ dy · xhat
            double[] pair = new double[2];
            for (int n = 0; n < batch; n++) {
                sums(pair, gradOutput, input, (n * channels + c) * spatial, spatial, m);
                sumDy += pair[0];
                sumDyCentred += pair[1];
            }
            double sumDyXhat = sumDyCentred * invStd;
            gradBias[c] = (float) sumDy;
            gradWeight[c] = (float) sumDyXhat;
            float scale = weight[c] * invStd;
            float meanDy = batchStatistics ? (float) (sumDy / count) : 0f;
            // dx = (dy - meanDy - (x - mean) · invStd · meanDyXhat) · scale
            float slope = batchStatistics ? (float) (sumDyXhat / count) * invStd : 0f;
            for (int n = 0; n < batch; n++) {
                gradInputPlane(gradInput, gradOutput, input, (n * channels + c) * spatial, spatial, m, meanDy, slope,
                        scale);
            }
        });
    }

    /** y = (x - m) · scale + shift over channel c's planes. */
    private static void normalizeChannel(float[] output, float[] input, float m, float scale, float shift, int c,
                                         int batch, int channels, int spatial) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector sv = FloatVector.broadcast(F, scale);
        FloatVector tv = FloatVector.broadcast(F, shift);
        for (int n = 0; n < batch; n++) {
            int at = (n * channels + c) * spatial;
            int s = 0;
            for (; s < F.loopBound(spatial); s += L) {
                FloatVector.fromArray(F, input, at + s).sub(mv).fma(sv, tv).intoArray(output, at + s);
            }
            for (; s < spatial; s++) output[at + s] = Math.fma(input[at + s] - m, scale, shift);
        }
    }

    private static float sum(float[] x, int at, int n) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, at + i));
            acc1 = acc1.add(FloatVector.fromArray(F, x, at + i + L));
        }
        for (; i < F.loopBound(n); i += L) acc0 = acc0.add(FloatVector.fromArray(F, x, at + i));
        float s = LaneSum.inOrder(acc0.add(acc1));
        for (; i < n; i++) s += x[at + i];
        return s;
    }

    private static float squaredDeviations(float[] x, int at, int n, float m) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(F, x, at + i).sub(mv);
            FloatVector d1 = FloatVector.fromArray(F, x, at + i + L).sub(mv);
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        for (; i < F.loopBound(n); i += L) {
            FloatVector d = FloatVector.fromArray(F, x, at + i).sub(mv);
            acc0 = d.fma(d, acc0);
        }
        float s = LaneSum.inOrder(acc0.add(acc1));
        for (; i < n; i++) {
            float d = x[at + i] - m;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    /** pair = {Σ dy, Σ dy · (x - m)} over one plane. */
    private static void sums(double[] pair, float[] dy, float[] x, int at, int n, float m) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector sumDy = FloatVector.zero(F), sumDyCentred = FloatVector.zero(F);
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, at + i);
            sumDy = sumDy.add(g);
            sumDyCentred = FloatVector.fromArray(F, x, at + i).sub(mv).fma(g, sumDyCentred);
        }
        float a = LaneSum.inOrder(sumDy);
        float b = LaneSum.inOrder(sumDyCentred);
        for (; i < n; i++) {
            a += dy[at + i];
            b = Math.fma(x[at + i] - m, dy[at + i], b);
        }
        pair[0] = a;
        pair[1] = b;
    }

    /** dx = (dy - meanDy - (x - m) · slope) · scale over one plane. */
    private static void gradInputPlane(float[] dx, float[] dy, float[] x, int at, int n, float m, float meanDy,
                                       float slope, float scale) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector negSlope = FloatVector.broadcast(F, -slope);
        FloatVector meanDyV = FloatVector.broadcast(F, meanDy);
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, at + i).sub(meanDyV);
            FloatVector.fromArray(F, x, at + i).sub(mv).fma(negSlope, g).mul(scale).intoArray(dx, at + i);
        }
        for (; i < n; i++) dx[at + i] = Math.fma(x[at + i] - m, -slope, dy[at + i] - meanDy) * scale;
    }
}
