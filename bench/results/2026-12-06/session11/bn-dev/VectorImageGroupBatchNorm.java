package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** EXPERIMENT: small planes streamed in memory order, per-channel lane sums per fixed image group. */
final class VectorImageGroupBatchNorm {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    private static final int GROUPS = Integer.getInteger("bn.groups", 8);
    private static final int FLOATS_PER_TASK = 1 << 15;

    private VectorImageGroupBatchNorm() {
    }

    static void trainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                float[] bias, float eps, int batch, int channels, int spatial) {
        double count = (double) batch * spatial;
        double[][] sums = groupSums(batch, channels, spatial, (s, c, at) -> s.add(c, input, at));
        for (int c = 0; c < channels; c++) {
            double t = 0;
            for (double[] g : sums) t += g[c];
            mean[c] = (float) (t / count);
        }
        double[][] squares = groupSums(batch, channels, spatial, (s, c, at) -> s.addSquares(c, input, at, mean[c]));
        for (int c = 0; c < channels; c++) {
            double t = 0;
            for (double[] g : squares) t += g[c];
            variance[c] = (float) (t / count);
        }
        forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
    }

    static void forward(float[] output, float[] input, float[] mean, float[] variance, float[] weight, float[] bias,
                        float eps, int batch, int channels, int spatial) {
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) scale[c] = ReferenceBatchNorm.invStd(variance[c], eps) * weight[c];
        VectorMask<Float> tail = F.indexInRange(F.loopBound(spatial), spatial);
        forRuns(batch * channels, spatial, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int c = p % channels;
                normalizePlane(output, input, p * spatial, spatial, mean[c], scale[c], bias[c], tail);
            }
        });
    }

    static void backward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                         float[] mean, float[] variance, float[] weight, float eps, boolean batchStatistics,
                         int batch, int channels, int spatial) {
        double count = (double) batch * spatial;
        double[][] both = groupSums2(batch, channels, spatial, gradOutput, input, mean);
        float[] meanDy = new float[channels];
        float[] slope = new float[channels];
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sumDy = 0.0;
            double sumDyCentred = 0.0;
            for (int g = 0; g < both.length / 2; g++) {
                sumDy += both[2 * g][c];
                sumDyCentred += both[2 * g + 1][c];
            }
            float invStd = ReferenceBatchNorm.invStd(variance[c], eps);
            double sumDyXhat = sumDyCentred * invStd;
            gradBias[c] = (float) sumDy;
            gradWeight[c] = (float) sumDyXhat;
            scale[c] = weight[c] * invStd;
            meanDy[c] = batchStatistics ? (float) (sumDy / count) : 0f;
            slope[c] = batchStatistics ? (float) (sumDyXhat / count) * invStd : 0f;
        }
        VectorMask<Float> tail = F.indexInRange(F.loopBound(spatial), spatial);
        forRuns(batch * channels, spatial, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int c = p % channels;
                gradInputPlane(gradInput, gradOutput, input, p * spatial, spatial, mean[c], meanDy[c], slope[c],
                        scale[c], tail);
            }
        });
    }

    interface PlaneAdder {
        void add(Lanes s, int c, int at);
    }

    private static double[][] groupSums(int batch, int channels, int spatial, PlaneAdder adder) {
        int groups = Math.min(batch, GROUPS);
        int per = (batch + groups - 1) / groups;
        int used = (batch + per - 1) / per;
        double[][] out = new double[used][];
        CpuThreads.forEach(used, g -> {
            Lanes s = new Lanes(channels, spatial);
            int n1 = Math.min(batch, (g + 1) * per);
            for (int n = g * per; n < n1; n++) {
                for (int c = 0; c < channels; c++) adder.add(s, c, (n * channels + c) * spatial);
                s.imageDone(n - g * per, n1 - g * per);
            }
            out[g] = s.totals;
        });
        return out;
    }

    private static double[][] groupSums2(int batch, int channels, int spatial, float[] dy, float[] x, float[] mean) {
        int groups = Math.min(batch, GROUPS);
        int per = (batch + groups - 1) / groups;
        int used = (batch + per - 1) / per;
        double[][] out = new double[2 * used][];
        CpuThreads.forEach(used, g -> {
            Lanes a = new Lanes(channels, spatial);
            Lanes b = new Lanes(channels, spatial);
            int n1 = Math.min(batch, (g + 1) * per);
            for (int n = g * per; n < n1; n++) {
                for (int c = 0; c < channels; c++) {
                    int at = (n * channels + c) * spatial;
                    a.add(c, dy, at);
                    b.addProducts(c, x, dy, at, mean[c]);
                }
                a.imageDone(n - g * per, n1 - g * per);
                b.imageDone(n - g * per, n1 - g * per);
            }
            out[2 * g] = a.totals;
            out[2 * g + 1] = b.totals;
        });
        return out;
    }

    static final class Lanes {
        final float[] lanes;
        final double[] totals;
        final int spatial;
        final int bound;
        final int every;
        final VectorMask<Float> tail;

        Lanes(int channels, int spatial) {
            lanes = new float[channels * L];
            totals = new double[channels];
            this.spatial = spatial;
            bound = F.loopBound(spatial);
            every = VectorBatchNorm.imagesPerFlush(spatial + L - 1);
            tail = F.indexInRange(bound, spatial);
        }

        void add(int j, float[] x, int at) {
            FloatVector acc = FloatVector.fromArray(F, lanes, j * L);
            int s = 0;
            for (; s < bound; s += L) acc = acc.add(FloatVector.fromArray(F, x, at + s));
            if (s < spatial) acc = acc.add(FloatVector.fromArray(F, x, at + s, tail));
            acc.intoArray(lanes, j * L);
        }

        void addSquares(int j, float[] x, int at, float m) {
            FloatVector mv = FloatVector.broadcast(F, m);
            FloatVector acc = FloatVector.fromArray(F, lanes, j * L);
            int s = 0;
            for (; s < bound; s += L) {
                FloatVector d = FloatVector.fromArray(F, x, at + s).sub(mv);
                acc = d.fma(d, acc);
            }
            if (s < spatial) {
                FloatVector d = FloatVector.fromArray(F, x, at + s, tail).sub(mv, tail);
                acc = d.fma(d, acc);
            }
            acc.intoArray(lanes, j * L);
        }

        void addProducts(int j, float[] x, float[] dy, int at, float m) {
            FloatVector mv = FloatVector.broadcast(F, m);
            FloatVector acc = FloatVector.fromArray(F, lanes, j * L);
            int s = 0;
            for (; s < bound; s += L) {
                acc = FloatVector.fromArray(F, x, at + s).sub(mv).fma(FloatVector.fromArray(F, dy, at + s), acc);
            }
            if (s < spatial) {
                acc = FloatVector.fromArray(F, x, at + s, tail).sub(mv, tail)
                        .fma(FloatVector.fromArray(F, dy, at + s, tail), acc);
            }
            acc.intoArray(lanes, j * L);
        }

        void imageDone(int n, int images) {
            if ((n + 1) % every != 0 && n != images - 1) return;
            for (int j = 0; j < totals.length; j++) {
                float s = 0f;
                for (int i = 0; i < L; i++) s += lanes[j * L + i];
                totals[j] += s;
            }
            java.util.Arrays.fill(lanes, 0f);
        }
    }

    interface PlaneRun {
        void run(int from, int to);
    }

    private static void forRuns(int planes, int spatial, PlaneRun body) {
        int perRun = Math.max(1, FLOATS_PER_TASK / Math.max(1, spatial));
        int runs = (planes + perRun - 1) / perRun;
        CpuThreads.forEach(runs, r -> body.run(r * perRun, Math.min(planes, (r + 1) * perRun)));
    }

    static void normalizePlane(float[] output, float[] input, int at, int n, float m, float scale, float shift,
                               VectorMask<Float> tail) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector sv = FloatVector.broadcast(F, scale);
        FloatVector tv = FloatVector.broadcast(F, shift);
        int s = 0;
        int bound = F.loopBound(n);
        for (; s < bound; s += L) {
            FloatVector.fromArray(F, input, at + s).sub(mv).fma(sv, tv).intoArray(output, at + s);
        }
        if (s < n) FloatVector.fromArray(F, input, at + s, tail).sub(mv).fma(sv, tv).intoArray(output, at + s, tail);
    }

    static void gradInputPlane(float[] dx, float[] dy, float[] x, int at, int n, float m, float meanDy,
                               float slope, float scale, VectorMask<Float> tail) {
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector negSlope = FloatVector.broadcast(F, -slope);
        FloatVector meanDyV = FloatVector.broadcast(F, meanDy);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, at + i).sub(meanDyV);
            FloatVector.fromArray(F, x, at + i).sub(mv).fma(negSlope, g).mul(scale).intoArray(dx, at + i);
        }
        if (i < n) {
            FloatVector g = FloatVector.fromArray(F, dy, at + i, tail).sub(meanDyV);
            FloatVector.fromArray(F, x, at + i, tail).sub(mv).fma(negSlope, g).mul(scale).intoArray(dx, at + i, tail);
        }
    }
}
