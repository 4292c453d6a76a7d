package org.deephash4j.backend.cpu;

import java.util.Random;

/** Same bits before and after the per-image restructuring? */
public final class BitCompare {
    public static void main(String[] a) {
        int[][] shapes = {{32, 256, 196}, {9, 67, 49}, {3, 5, 13}, {4, 7, 511}, {2, 3, 16}};
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1], s = sh[2], t = n * c * s;
            Random r = new Random(3);
            float[] x = new float[t], dy = new float[t];
            for (int i = 0; i < t; i++) { x[i] = r.nextFloat() * 3 - 1; dy[i] = r.nextFloat() - 0.5f; }
            float[] w = new float[c], b = new float[c];
            for (int i = 0; i < c; i++) { w[i] = r.nextFloat() + 0.5f; b[i] = r.nextFloat(); }
            float[][] o1 = run(true, x, dy, w, b, n, c, s), o2 = run(false, x, dy, w, b, n, c, s);
            boolean same = true;
            for (int k = 0; k < o1.length; k++) same &= java.util.Arrays.equals(o1[k], o2[k]);
            System.out.println(java.util.Arrays.toString(sh) + " same bits: " + same);
        }
    }

    static float[][] run(boolean old, float[] x, float[] dy, float[] w, float[] b, int n, int c, int s) {
        int t = n * c * s;
        float[] y = new float[t], m = new float[c], v = new float[c], dx = new float[t], gw = new float[c], gb = new float[c], y2 = new float[t];
        if (old) {
            D5949.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            D5949.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            D5949.forward(y2, x, m, v, w, b, 1e-5f, n, c, s);
        } else {
            VectorBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            VectorBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            VectorBatchNorm.forward(y2, x, m, v, w, b, 1e-5f, n, c, s);
        }
        return new float[][] {y, m, v, dx, gw, gb, y2};
    }
}
