package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.BinaryOp;

/** Paired probe: main's small-plane batch norm (Old) against the candidate (New), call by call alternated. */
public final class BnPair12 {
    public static void main(String[] args) {
        VectorKernels vk = new VectorKernels();
        ReferenceKernels ref = new ReferenceKernels();
        for (String shape : args) {
            String[] d = shape.split("x");
            int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), s = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
            int t = n * c * s;
            Random r = new Random(5);
            float[] x = new float[t], dy = new float[t], y = new float[t], dx = new float[t];
            for (int i = 0; i < t; i++) { x[i] = 3f + r.nextFloat(); dy[i] = r.nextFloat() - 0.5f; }
            float[] w = new float[c], b = new float[c], m = new float[c], v = new float[c], gw = new float[c], gb = new float[c];
            for (int i = 0; i < c; i++) { w[i] = 0.5f + r.nextFloat(); b[i] = r.nextFloat(); }
            // correctness of New against the reference
            float[] ey = new float[t], em = new float[c], ev = new float[c], edx = new float[t], ew = new float[c], eb = new float[c];
            ref.batchNormTrainingForward(ey, em, ev, x, w, b, 1e-5f, n, c, s);
            ref.batchNormBackward(edx, ew, eb, dy, x, em, ev, w, 1e-5f, true, n, c, s);
            NewBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            NewBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            System.out.printf("%s errors: y %.2e mean %.2e var %.2e dx %.2e gw %.2e%n", shape, err(ey, y), err(em, m), err(ev, v), err(edx, dx), err(ew, gw));
            Runnable[] runs = {
                () -> { OldBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        OldBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { NewBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        NewBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { OldBig.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        OldBig.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { vk.affine(y, x, 1f, 0f, t); vk.binary(BinaryOp.ADD, dx, dy, x, t); },
            };
            int reps = Integer.getInteger("reps", 300);
            double[][] times = new double[4][reps];
            for (int i = 0; i < 150; i++) for (Runnable run : runs) run.run();
            for (int i = 0; i < reps; i++) {
                for (int k = 0; k < 4; k++) {
                    int j = (i + k) % 4;
                    long t0 = System.nanoTime(); runs[j].run(); times[j][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] med = new double[4];
            for (int k = 0; k < 4; k++) { double[] c2 = times[k].clone(); Arrays.sort(c2); med[k] = c2[reps / 2]; }
            int wins = 0;
            for (int i = 0; i < reps; i++) if (times[1][i] < times[0][i]) wins++;
            int wins2 = 0;
            for (int i = 0; i < reps; i++) if (times[2][i] < times[0][i]) wins2++;
            System.out.printf("%s old %.3f newBig %.3f oldBig %.3f baseline %.3f ms; newBig/old %.3f (%d of %d faster) oldBig/old %.3f (%d); to baseline %.2f / %.2f / %.2f%n",
                shape, med[0], med[1], med[2], med[3], med[1] / med[0], wins, reps, med[2] / med[0], wins2, med[0] / med[3], med[1] / med[3], med[2] / med[3]);
        }
    }

    static double err(float[] e, float[] a) {
        double worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(e[i] - a[i]) / (1e-5 + Math.abs(e[i])));
        return worst;
    }
}
