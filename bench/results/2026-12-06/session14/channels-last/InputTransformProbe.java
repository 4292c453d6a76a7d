package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One image's Winograd input transform on one thread: the class's (gathers across channel planes for each of a
 * tile's 36 positions) against a variant that first turns the image channels-last (one gather per position),
 * then loads each tile position's L channels contiguously. Checks the outputs are the same bits.
 * Args: channels side reps.
 */
public final class InputTransformProbe {
    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final int L = F.length();

    public static void main(String[] args) {
        int inC = Integer.parseInt(args[0]), h = Integer.parseInt(args[1]), w = h, reps = Integer.parseInt(args[2]);
        int tw = (w + 3) / 4, th = (h + 3) / 4, tiles = tw * th, plane = h * w;
        Random r = new Random(1);
        float[] src = new float[inC * plane];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat() - 0.5f;
        int vStride = tiles * inC + 16;
        float[] v1 = new float[36 * vStride], v2 = new float[36 * vStride];
        float[] hwc = new float[plane * inC];
        int[] lanes = VectorWidth.strided(plane);
        int[] tail = new int[L];
        long[] a = new long[reps], b = new long[reps];
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            VectorWinogradConv2d.inputTransform(v1, 0, vStride, inC, src, 0, h, w, tw, th, lanes, tail);
            long t1 = System.nanoTime();
            channelsLast(v2, vStride, inC, src, h, w, tw, th, lanes, hwc);
            long t2 = System.nanoTime();
            a[rep] = t1 - t0; b[rep] = t2 - t1;
        }
        if (!Arrays.equals(v1, v2)) throw new AssertionError("outputs differ");
        long[] x = Arrays.copyOfRange(a, reps / 2, reps), y = Arrays.copyOfRange(b, reps / 2, reps);
        Arrays.sort(x); Arrays.sort(y);
        System.out.printf("%d channels %d x %d: gathers per tile position %.1f us, channels-last first %.1f us (same bits)%n",
                inC, h, w, x[x.length / 2] / 1e3, y[y.length / 2] / 1e3);
    }

    /** inC a multiple of L here. */
    static void channelsLast(float[] v, int stride, int inC, float[] src, int h, int w, int tw, int th, int[] lanes,
                             float[] hwc) {
        int plane = h * w;
        for (int c = 0; c < inC; c += L) {
            for (int p = 0; p < plane; p++) {
                FloatVector.fromArray(F, src, c * plane + p, lanes, 0).intoArray(hwc, p * inC + c);
            }
        }
        float[] d = new float[36 * L];
        FloatVector zero = FloatVector.zero(F);
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int t = (ty * tw + tx) * inC;
                for (int c = 0; c < inC; c += L) {
                    for (int rr = 0; rr < 6; rr++) {
                        int yy = 4 * ty - 1 + rr;
                        for (int s = 0; s < 6; s++) {
                            int xx = 4 * tx - 1 + s;
                            if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                zero.intoArray(d, (6 * rr + s) * L);
                            } else {
                                FloatVector.fromArray(F, hwc, (yy * w + xx) * inC + c).intoArray(d, (6 * rr + s) * L);
                            }
                        }
                    }
                    for (int s = 0; s < 6; s++) steps(d, s * L, 6 * L);
                    for (int rr = 0; rr < 6; rr++) steps(d, 6 * rr * L, L);
                    for (int i = 0; i < 36; i++) FloatVector.fromArray(F, d, i * L).intoArray(v, t + c + i * stride);
                }
            }
        }
    }

    /** The class's inputSteps, copied for the probe. */
    static void steps(float[] d, int at, int step) {
        FloatVector d0 = FloatVector.fromArray(F, d, at), d1 = FloatVector.fromArray(F, d, at + step);
        FloatVector d2 = FloatVector.fromArray(F, d, at + 2 * step), d3 = FloatVector.fromArray(F, d, at + 3 * step);
        FloatVector d4 = FloatVector.fromArray(F, d, at + 4 * step), d5 = FloatVector.fromArray(F, d, at + 5 * step);
        FloatVector fours = d4.sub(d2.mul(4f)), ones = d3.sub(d1.mul(4f));
        FloatVector twos = d4.sub(d2), odd = d3.sub(d1).mul(2f);
        d0.mul(4f).sub(d2.mul(5f)).add(d4).intoArray(d, at);
        fours.add(ones).intoArray(d, at + step);
        fours.sub(ones).intoArray(d, at + 2 * step);
        twos.add(odd).intoArray(d, at + 3 * step);
        twos.sub(odd).intoArray(d, at + 4 * step);
        d1.mul(4f).sub(d3.mul(5f)).add(d5).intoArray(d, at + 5 * step);
    }
}
