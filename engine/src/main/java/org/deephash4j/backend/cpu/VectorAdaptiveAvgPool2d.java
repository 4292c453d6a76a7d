package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.AdaptivePool2dGeometry;

/**
 * Adaptive average pooling, NCHW: the same contracts as {@code ReferenceAdaptiveAvgPool2d}.
 *
 * <p>Planes are independent and split into fixed chunks over {@link CpuThreads}, one writer per
 * output element. A window is summed one input row segment at a time, in vector lanes (added in
 * lane order) plus a scalar tail; for global pooling (1 × 1 output) the segment is the whole
 * contiguous plane. Backward writes each window's share into its row segments with vectors.
 */
final class VectorAdaptiveAvgPool2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Input floats per task: enough work to outweigh the hand-off. */
    private static final int FLOATS_PER_TASK = 1 << 15;

    private VectorAdaptiveAvgPool2d() {
    }

    static void forward(float[] output, float[] input, AdaptivePool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        forPlanes(g, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int in = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = g.rowStart(i), r1 = g.rowEnd(i);
                    for (int j = 0; j < ow; j++) {
                        int c0 = g.colStart(j), c1 = g.colEnd(j);
                        float sum;
                        if (c0 == 0 && c1 == w) {
                            sum = segmentSum(input, in + r0 * w, (r1 - r0) * w);   // whole rows are contiguous
                        } else {
                            sum = 0f;
                            for (int r = r0; r < r1; r++) sum += segmentSum(input, in + r * w + c0, c1 - c0);
                        }
                        output[(plane * oh + i) * ow + j] = sum / ((r1 - r0) * (c1 - c0));
                    }
                }
            }
        });
    }

    static void backward(float[] gradInput, float[] gradOutput, AdaptivePool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        boolean tiles = h % oh == 0 && w % ow == 0;    // windows neither overlap nor leave gaps
        forPlanes(g, (from, to) -> {
            if (!tiles) fill(gradInput, from * h * w, (to - from) * h * w, 0f);
            for (int plane = from; plane < to; plane++) {
                int in = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = g.rowStart(i), r1 = g.rowEnd(i);
                    for (int j = 0; j < ow; j++) {
                        int c0 = g.colStart(j), c1 = g.colEnd(j);
                        float share = gradOutput[(plane * oh + i) * ow + j] / ((r1 - r0) * (c1 - c0));
                        for (int r = r0; r < r1; r++) {
                            if (tiles) {
                                fill(gradInput, in + r * w + c0, c1 - c0, share);
                            } else {
                                addScalar(gradInput, in + r * w + c0, c1 - c0, share);
                            }
                        }
                    }
                }
            }
        });
    }

    private interface PlaneRange {
        void run(int from, int to);
    }

    private static void forPlanes(AdaptivePool2dGeometry g, PlaneRange body) {
        int planes = g.batch() * g.channels();
        int perTask = Math.max(1, FLOATS_PER_TASK / (g.inHeight() * g.inWidth()));
        int tasks = (planes + perTask - 1) / perTask;
        CpuThreads.forEach(tasks, t -> body.run(t * perTask, Math.min(planes, (t + 1) * perTask)));
    }

    private static float segmentSum(float[] x, int at, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < F.loopBound(n); i += L) acc = acc.add(FloatVector.fromArray(F, x, at + i));
        float s = VectorLaneSum.inOrder(acc);
        for (; i < n; i++) s += x[at + i];
        return s;
    }

    private static void fill(float[] a, int at, int n, float value) {
        FloatVector v = FloatVector.broadcast(F, value);
        int i = 0;
        for (; i < F.loopBound(n); i += L) v.intoArray(a, at + i);
        for (; i < n; i++) a[at + i] = value;
    }

    private static void addScalar(float[] a, int at, int n, float value) {
        int i = 0;
        for (; i < F.loopBound(n); i += L) FloatVector.fromArray(F, a, at + i).add(value).intoArray(a, at + i);
        for (; i < n; i++) a[at + i] += value;
    }
}
