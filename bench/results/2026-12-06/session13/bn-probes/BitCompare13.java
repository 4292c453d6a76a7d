package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/** Thirteenth session: VectorBatchNorm with its sums by image groups against ec93312's (renamed Ec93312BatchNorm), bit for bit. */
public final class BitCompare13 {
    public static void main(String[] a) {
        int[][] shapes = {{32, 256, 196}, {32, 512, 49}, {128, 128, 64}, {9, 67, 49}, {3, 5, 13}, {4, 7, 511},
                {2, 3, 16}, {7, 3, 1}, {1, 1, 5}, {23, 11, 100}, {6, 9, 512}, {5, 4, 3136}};
        boolean all = true;
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1], s = sh[2], t = n * c * s;
            Random r = new Random(3);
            float[] x = new float[t], dy = new float[t];
            for (int i = 0; i < t; i++) { x[i] = r.nextFloat() * 3 - 1; dy[i] = r.nextFloat() - 0.5f; }
            float[] w = new float[c], b = new float[c];
            for (int i = 0; i < c; i++) { w[i] = r.nextFloat() + 0.5f; b[i] = r.nextFloat(); }
            float[][] o1 = run(true, x, dy, w, b, n, c, s), o2 = run(false, x, dy, w, b, n, c, s);
            boolean same = true;
            for (int k = 0; k < o1.length; k++) same &= Arrays.equals(o1[k], o2[k]);
            all &= same;
            System.out.println(Arrays.toString(sh) + " same bits: " + same);
        }
        System.out.println("all same: " + all);
    }

    static float[][] run(boolean old, float[] x, float[] dy, float[] w, float[] b, int n, int c, int s) {
        int t = n * c * s;
        float[] y = new float[t], m = new float[c], v = new float[c], dx = new float[t], gw = new float[c], gb = new float[c];
        float[] y2 = new float[t], dx2 = new float[t], gw2 = new float[c], gb2 = new float[c];
        if (old) {
            Ec93312BatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            Ec93312BatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            Ec93312BatchNorm.forward(y2, x, m, v, w, b, 1e-5f, n, c, s);
            Ec93312BatchNorm.backward(dx2, gw2, gb2, dy, x, m, v, w, 1e-5f, false, n, c, s);
        } else {
            VectorBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            VectorBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            VectorBatchNorm.forward(y2, x, m, v, w, b, 1e-5f, n, c, s);
            VectorBatchNorm.backward(dx2, gw2, gb2, dy, x, m, v, w, 1e-5f, false, n, c, s);
        }
        return new float[][] {y, m, v, dx, gw, gb, y2, dx2, gw2, gb2};
    }
}
