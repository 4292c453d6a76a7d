package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One image's Winograd output transform on one thread: the class's (each output position's L channels
 * scattered to L planes) against a variant that stores them channels-last, then writes each plane's positions
 * L at a time (a gather from the channels-last array, a plain store). Checks the bits. Args: channels side reps.
 */
public final class OutputTransformProbe {
    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final int L = F.length();

    public static void main(String[] args) {
        int outC = Integer.parseInt(args[0]), h = Integer.parseInt(args[1]), w = h, reps = Integer.parseInt(args[2]);
        int tw = (w + 3) / 4, th = (h + 3) / 4, tiles = tw * th, plane = h * w;
        Random r = new Random(1);
        int mStride = tiles * outC + 16;
        float[] m = new float[36 * mStride];
        for (int i = 0; i < m.length; i++) m[i] = r.nextFloat() - 0.5f;
        float[] bias = new float[outC];
        for (int i = 0; i < outC; i++) bias[i] = r.nextFloat();
        float[] out1 = new float[outC * plane], out2 = new float[outC * plane];
        float[] hwc = new float[plane * outC];
        int[] lanes = VectorWidth.strided(plane);
        int[] tail = new int[L];
        long[] a = new long[reps], b = new long[reps];
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            VectorWinogradConv2d.outputTransform(out1, 0, h, w, m, 0, mStride, outC, bias, 0, tw, th, lanes, tail);
            long t1 = System.nanoTime();
            channelsLast(out2, h, w, m, mStride, outC, bias, tw, th, hwc);
            long t2 = System.nanoTime();
            a[rep] = t1 - t0; b[rep] = t2 - t1;
        }
        if (!Arrays.equals(out1, out2)) throw new AssertionError("outputs differ");
        long[] x = Arrays.copyOfRange(a, reps / 2, reps), y = Arrays.copyOfRange(b, reps / 2, reps);
        Arrays.sort(x); Arrays.sort(y);
        System.out.printf("%d channels %d x %d: scatters %.1f us, channels-last then planes %.1f us (same bits)%n",
                outC, h, w, x[x.length / 2] / 1e3, y[y.length / 2] / 1e3);
    }

    /** outC a multiple of L here. */
    static void channelsLast(float[] out, int h, int w, float[] m, int stride, int outC, float[] bias, int tw, int th,
                             float[] hwc) {
        int plane = h * w;
        float[] s = new float[4 * 6 * L], y4 = new float[4 * L];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int y = 4 * ty, x = 4 * tx;
                int rowsKept = Math.min(4, h - y), colsKept = Math.min(4, w - x);
                int t = (ty * tw + tx) * outC;
                for (int k = 0; k < outC; k += L) {
                    for (int col = 0; col < 6; col++) steps(m, t + k + col * stride, 6 * stride, s, col * L, 6 * L);
                    FloatVector bv = FloatVector.fromArray(F, bias, k);
                    for (int rr = 0; rr < rowsKept; rr++) {
                        steps(s, 6 * rr * L, L, y4, 0, L);
                        for (int c = 0; c < colsKept; c++) {
                            bv.add(FloatVector.fromArray(F, y4, c * L)).intoArray(hwc, ((y + rr) * w + x + c) * outC + k);
                        }
                    }
                }
            }
        }
        int[] positions = VectorWidth.strided(outC);
        int p = 0;
        for (; p <= plane - L; p += L) {
            for (int k = 0; k < outC; k++) {
                FloatVector.fromArray(F, hwc, p * outC + k, positions, 0).intoArray(out, k * plane + p);
            }
        }
        for (; p < plane; p++) {
            for (int k = 0; k < outC; k++) out[k * plane + p] = hwc[p * outC + k];
        }
    }

    static void steps(float[] m, int at, int step, float[] out, int to, int outStep) {
        FloatVector m0 = FloatVector.fromArray(F, m, at), m1 = FloatVector.fromArray(F, m, at + step);
        FloatVector m2 = FloatVector.fromArray(F, m, at + 2 * step), m3 = FloatVector.fromArray(F, m, at + 3 * step);
        FloatVector m4 = FloatVector.fromArray(F, m, at + 4 * step), m5 = FloatVector.fromArray(F, m, at + 5 * step);
        FloatVector ones = m1.add(m2), oneDiff = m1.sub(m2), twos = m3.add(m4), twoDiff = m3.sub(m4);
        m0.add(ones).add(twos).intoArray(out, to);
        oneDiff.add(twoDiff.mul(2f)).intoArray(out, to + outStep);
        ones.add(twos.mul(4f)).intoArray(out, to + 2 * outStep);
        oneDiff.add(twoDiff.mul(8f)).add(m5).intoArray(out, to + 3 * outStep);
    }
}
