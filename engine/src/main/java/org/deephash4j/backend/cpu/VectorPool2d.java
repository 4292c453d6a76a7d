package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.Pool2dGeometry;

/**
 * Max and average pooling, NCHW: the same contracts as {@code ReferencePool2d}.
 *
 * <p>The {@code batch · channels} planes are independent, so they are split into fixed chunks
 * over {@link CpuThreads}; each plane is written by one task. Windows are read with plain loops
 * (a 2×2 window gathers from two rows with stride 2, which the Vector API can only do with
 * shuffles that cost more than they save); the vector part is the zeroing and scaling of whole
 * planes. Max pooling routes each window's gradient to the first maximum in row-major order,
 * as the reference does, so the two agree exactly.
 */
final class VectorPool2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    /** Planes per task: enough work per task to amortise the hand-off. */
    private static final int PLANES_PER_TASK = 16;

    private VectorPool2d() {
    }

    static void maxForward(float[] output, float[] input, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        forPlanes(planes, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                maxForwardPlane(output, input, plane, g);
            }
        });
    }

    static void maxBackward(float[] gradInput, float[] gradOutput, float[] input, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        forPlanes(planes, (from, to) -> {
            fill(gradInput, from * inPlane, (to - from) * inPlane, 0f);
            for (int plane = from; plane < to; plane++) {
                maxBackwardPlane(gradInput, gradOutput, input, plane, g);
            }
        });
    }

    static void avgForward(float[] output, float[] input, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int outPlane = g.outHeight() * g.outWidth();
        float scale = 1f / (g.kernelHeight() * g.kernelWidth());
        forPlanes(planes, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                windowSums(output, input, plane, g);
            }
            int at = from * outPlane;
            int n = (to - from) * outPlane;
            int i = 0;
            for (; i < F.loopBound(n); i += F.length()) {
                FloatVector.fromArray(F, output, at + i).mul(scale).intoArray(output, at + i);
            }
            for (; i < n; i++) {
                output[at + i] *= scale;
            }
        });
    }

    static void avgBackward(float[] gradInput, float[] gradOutput, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        float scale = 1f / (g.kernelHeight() * g.kernelWidth());
        forPlanes(planes, (from, to) -> {
            fill(gradInput, from * inPlane, (to - from) * inPlane, 0f);
            for (int plane = from; plane < to; plane++) {
                avgBackwardPlane(gradInput, gradOutput, plane, scale, g);
            }
        });
    }

    private interface PlaneRange {
        void run(int from, int to);
    }

    private static void forPlanes(int planes, PlaneRange body) {
        int tasks = (planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK;
        CpuThreads.forEach(tasks, t -> body.run(t * PLANES_PER_TASK, Math.min(planes, (t + 1) * PLANES_PER_TASK)));
    }

    private static void maxForwardPlane(float[] output, float[] input, int plane, Pool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        if (kh == 2 && kw == 2 && s == 2 && pad == 0) {
            // The LeNet case: two input rows per output row.
            for (int y = 0; y < oh; y++) {
                int r0 = in + 2 * y * w;
                int r1 = r0 + w;
                int o = out + y * ow;
                for (int x = 0; x < ow; x++) {
                    float m = input[r0 + 2 * x];
                    m = Math.max(m, input[r0 + 2 * x + 1]);
                    m = Math.max(m, input[r1 + 2 * x]);
                    m = Math.max(m, input[r1 + 2 * x + 1]);
                    output[o + x] = m;
                }
            }
            return;
        }
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < kh; i++) {
                    int iy = y * s - pad + i;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int ix = x * s - pad + j;
                        if (ix >= 0 && ix < w) {
                            m = Math.max(m, input[in + iy * w + ix]);
                        }
                    }
                }
                output[out + y * ow + x] = m;
            }
        }
    }

    private static void maxBackwardPlane(float[] gradInput, float[] gradOutput, float[] input, int plane,
                                         Pool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // First maximum in row-major order; NaN-free inputs assumed as in the reference.
                int best = -1;
                float m = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < kh; i++) {
                    int iy = y * s - pad + i;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int ix = x * s - pad + j;
                        if (ix >= 0 && ix < w) {
                            float v = input[in + iy * w + ix];
                            if (best < 0 || v > m) {
                                m = v;
                                best = in + iy * w + ix;
                            }
                        }
                    }
                }
                if (best >= 0) {
                    gradInput[best] += gradOutput[out + y * ow + x];
                }
            }
        }
    }

    /** output = the sum of each window (padding counts as 0); the caller scales by 1 / area. */
    private static void windowSums(float[] output, float[] input, int plane, Pool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float sum = 0f;
                for (int i = 0; i < kh; i++) {
                    int iy = y * s - pad + i;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int ix = x * s - pad + j;
                        if (ix >= 0 && ix < w) {
                            sum += input[in + iy * w + ix];
                        }
                    }
                }
                output[out + y * ow + x] = sum;
            }
        }
    }

    private static void avgBackwardPlane(float[] gradInput, float[] gradOutput, int plane, float scale,
                                         Pool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float share = gradOutput[out + y * ow + x] * scale;
                for (int i = 0; i < kh; i++) {
                    int iy = y * s - pad + i;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int ix = x * s - pad + j;
                        if (ix >= 0 && ix < w) {
                            gradInput[in + iy * w + ix] += share;
                        }
                    }
                }
            }
        }
    }

    private static void fill(float[] a, int from, int n, float value) {
        FloatVector v = FloatVector.broadcast(F, value);
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) {
            v.intoArray(a, from + i);
        }
        for (; i < n; i++) {
            a[from + i] = value;
        }
    }
}
