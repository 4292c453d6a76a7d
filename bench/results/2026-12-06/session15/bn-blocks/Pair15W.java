package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.BinaryOp;

/** Paired probe: HEAD's small-plane batch norm against P15A (reading passes two channels at a time), P15B (forward statistics chunked), P15C (both). */
public final class Pair15W {
    interface BN { void f(float[] y, float[] m, float[] v, float[] x, float[] w, float[] b, float e, int n, int c, int s);
                   void b(float[] dx, float[] gw, float[] gb, float[] dy, float[] x, float[] m, float[] v, float[] w, float e, boolean t, int n, int c, int s); }
    public static void main(String[] args) {
        VectorKernels vk = new VectorKernels();
        BN[] bns = {
            new BN() { public void f(float[] y, float[] m, float[] v, float[] x, float[] w, float[] b, float e, int n, int c, int s) { VectorBatchNorm.trainingForward(y, m, v, x, w, b, e, n, c, s); }
                       public void b(float[] dx, float[] gw, float[] gb, float[] dy, float[] x, float[] m, float[] v, float[] w, float e, boolean t, int n, int c, int s) { VectorBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, e, t, n, c, s); } },
            new BN() { public void f(float[] y, float[] m, float[] v, float[] x, float[] w, float[] b, float e, int n, int c, int s) { P15W.trainingForward(y, m, v, x, w, b, e, n, c, s); }
                       public void b(float[] dx, float[] gw, float[] gb, float[] dy, float[] x, float[] m, float[] v, float[] w, float e, boolean t, int n, int c, int s) { P15W.backward(dx, gw, gb, dy, x, m, v, w, e, t, n, c, s); } },
        };
        String[] names = {"head", "W", "baseline"};
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
            bns[0].f(ey, em, ev, x, w, b, 1e-5f, n, c, s);
            bns[0].b(edx, ew, eb, dy, x, em, ev, w, 1e-5f, true, n, c, s);
            for (int k = 1; k < bns.length; k++) {
                Arrays.fill(y, 0f); Arrays.fill(dx, 0f);
                bns[k].f(y, m, v, x, w, b, 1e-5f, n, c, s);
                bns[k].b(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s);
                System.out.printf("%s %s same bits as head: y %b mean %b var %b dx %b gw %b gb %b%n", shape, names[k], Arrays.equals(ey, y), Arrays.equals(em, m), Arrays.equals(ev, v), Arrays.equals(edx, dx), Arrays.equals(ew, gw), Arrays.equals(eb, gb));
            }
            int K = bns.length + 1;
            Runnable[] runs = new Runnable[K];
            for (int k = 0; k < bns.length; k++) { BN bn = bns[k]; runs[k] = () -> { bn.f(y, m, v, x, w, b, 1e-5f, n, c, s); bn.b(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); }; }
            runs[K - 1] = () -> { vk.affine(y, x, 1f, 0f, t); vk.binary(BinaryOp.ADD, dx, dy, x, t); };
            int reps = Integer.getInteger("reps", 300);
            double[][] times = new double[K][reps];
            for (int i = 0; i < 150; i++) for (Runnable run : runs) run.run();
            for (int i = 0; i < reps; i++) {
                for (int k = 0; k < K; k++) {
                    int j = (i + k) % K;
                    long t0 = System.nanoTime(); runs[j].run(); times[j][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] med = new double[K];
            for (int k = 0; k < K; k++) { double[] c2 = times[k].clone(); Arrays.sort(c2); med[k] = c2[reps / 2]; }
            StringBuilder sb = new StringBuilder(shape);
            for (int k = 0; k < K; k++) sb.append(String.format(" %s %.3f", names[k], med[k]));
            for (int k = 1; k < K - 1; k++) {
                int wins = 0;
                for (int i = 0; i < reps; i++) if (times[k][i] < times[0][i]) wins++;
                sb.append(String.format(" | %s/head %.3f (%d/%d)", names[k], med[k] / med[0], wins, reps));
            }
            for (int k = 0; k < K - 1; k++) sb.append(String.format(" | %s/base %.2f", names[k], med[k] / med[K - 1]));
            System.out.println(sb);
        }
    }
}
