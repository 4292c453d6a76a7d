package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.BinaryOp;

/** Paired probe: HEAD's small-plane batch norm against P13F (same, block properties) and P13R (writing passes in reverse image order). */
public final class Pair13G {
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
            float[] ey = new float[t], em = new float[c], ev = new float[c], edx = new float[t], ew = new float[c], eb = new float[c];
            VectorBatchNorm.trainingForward(ey, em, ev, x, w, b, 1e-5f, n, c, s);
            VectorBatchNorm.backward(edx, ew, eb, dy, x, em, ev, w, 1e-5f, true, n, c, s);
            P13R.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            P13R.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            System.out.printf("%s P13R same bits as HEAD: y %b dx %b gw %b%n", shape, Arrays.equals(ey, y), Arrays.equals(edx, dx), Arrays.equals(ew, gw));
            P13G.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            double em2 = 0, ev2 = 0; for (int i = 0; i < c; i++) { em2 = Math.max(em2, Math.abs(m[i] - em[i]) / Math.abs(em[i])); ev2 = Math.max(ev2, Math.abs(v[i] - ev[i]) / Math.abs(ev[i])); }
            System.out.printf("%s P13G relative error: mean %.2e variance %.2e%n", shape, em2, ev2);
            P13G.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
            float[] y2 = y.clone(); VectorBatchNorm.trainingForward(y2, em, ev, x, w, b, 1e-5f, n, c, s);
            P13G.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
            System.out.printf("%s P13G same bits as HEAD: y %b mean %b var %b dx %b gw %b gb %b%n", shape, Arrays.equals(y2, y), Arrays.equals(em, m), Arrays.equals(ev, v), Arrays.equals(edx, dx), Arrays.equals(ew, gw), Arrays.equals(eb, gb));
            Runnable[] runs = {
                () -> { VectorBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        VectorBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { P13G.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        P13G.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { P13R.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        P13R.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { vk.affine(y, x, 1f, 0f, t); vk.binary(BinaryOp.ADD, dx, dy, x, t); },
            };
            String[] names = {"head", "G", "R", "baseline"};
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
            StringBuilder sb = new StringBuilder(shape);
            for (int k = 0; k < 4; k++) sb.append(String.format(" %s %.3f", names[k], med[k]));
            for (int k = 1; k < 3; k++) {
                int wins = 0;
                for (int i = 0; i < reps; i++) if (times[k][i] < times[0][i]) wins++;
                sb.append(String.format(" | %s/head %.3f (%d of %d faster)", names[k], med[k] / med[0], wins, reps));
            }
            for (int k = 0; k < 3; k++) sb.append(String.format(" | %s/base %.2f", names[k], med[k] / med[3]));
            System.out.println(sb);
        }
    }
}
