package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/** Evaluation forward (running statistics, one writing pass): HEAD's VectorBatchNorm against P15L, calls alternated. */
public final class EvalPair {
    public static void main(String[] args) {
        for (String shape : args) {
            String[] d = shape.split("x");
            int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), s = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
            int t = n * c * s;
            Random r = new Random(5);
            float[] x = new float[t], y = new float[t], y2 = new float[t];
            for (int i = 0; i < t; i++) x[i] = 3f + r.nextFloat();
            float[] w = new float[c], b = new float[c], m = new float[c], v = new float[c];
            for (int i = 0; i < c; i++) { w[i] = 0.5f + r.nextFloat(); b[i] = r.nextFloat(); m[i] = 3.5f; v[i] = 0.1f + r.nextFloat(); }
            VectorBatchNorm.forward(y, x, m, v, w, b, 1e-5f, n, c, s);
            P15L.forward(y2, x, m, v, w, b, 1e-5f, n, c, s);
            System.out.println(shape + " same bits " + Arrays.equals(y, y2));
            Runnable[] runs = {() -> VectorBatchNorm.forward(y, x, m, v, w, b, 1e-5f, n, c, s),
                               () -> P15L.forward(y2, x, m, v, w, b, 1e-5f, n, c, s)};
            int reps = 400;
            double[][] times = new double[2][reps];
            for (int i = 0; i < 200; i++) { runs[0].run(); runs[1].run(); }
            for (int i = 0; i < reps; i++) for (int k = 0; k < 2; k++) {
                int j = (i + k) % 2;
                long t0 = System.nanoTime(); runs[j].run(); times[j][i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] med = new double[2];
            int wins = 0;
            for (int i = 0; i < reps; i++) if (times[1][i] < times[0][i]) wins++;
            for (int k = 0; k < 2; k++) { double[] c2 = times[k].clone(); Arrays.sort(c2); med[k] = c2[reps / 2]; }
            System.out.printf("%s head %.3f L %.3f L/head %.3f (%d/%d)%n", shape, med[0], med[1], med[1] / med[0], wins, reps);
        }
    }
}
