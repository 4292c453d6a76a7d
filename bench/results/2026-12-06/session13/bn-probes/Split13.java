package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.BinaryOp;

/** HEAD's small-plane batch norm pass by pass (P13S.MODE bits), call by call alternated with the baseline's parts. */
public final class Split13 {
    public static void main(String[] args) {
        VectorKernels vk = new VectorKernels();
        for (String shape : args) {
            String[] d = shape.split("x");
            int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), s = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
            int t = n * c * s;
            Random r = new Random(5);
            float[] x = new float[t], dy = new float[t], y = new float[t], dx = new float[t];
            for (int i = 0; i < t; i++) { x[i] = 3f + r.nextFloat(); dy[i] = r.nextFloat() - 0.5f; }
            float[] w = new float[c], b = new float[c], m = new float[c], v = new float[c], gw = new float[c], gb = new float[c];
            for (int i = 0; i < c; i++) { w[i] = 0.5f + r.nextFloat(); b[i] = r.nextFloat(); v[i] = 1f; }
            String[] names = {"mean", "var", "norm", "fwd", "bsums", "bdx", "bwd", "all", "copy", "add", "sum", "base"};
            int[] modes = {1, 2, 4, 7, 8, 16, 24, 31};
            int k = names.length;
            Runnable[] runs = new Runnable[k];
            for (int j = 0; j < modes.length; j++) {
                int mode = modes[j];
                runs[j] = () -> { P13S.MODE = mode;
                    if ((mode & 7) != 0) P13S.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                    if ((mode & 24) != 0) P13S.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); };
            }
            runs[8] = () -> vk.affine(y, x, 1f, 0f, t);
            runs[9] = () -> vk.binary(BinaryOp.ADD, dx, dy, x, t);
            runs[10] = () -> P13S.forward(y, x, m, v, w, b, 1e-5f, n, c, s);  // normalize alone via forward()
            runs[11] = () -> { vk.affine(y, x, 1f, 0f, t); vk.binary(BinaryOp.ADD, dx, dy, x, t); };
            names[10] = "evalfwd";
            int reps = Integer.getInteger("reps", 200);
            double[][] times = new double[k][reps];
            for (int i = 0; i < 100; i++) for (Runnable run : runs) run.run();
            for (int i = 0; i < reps; i++) {
                for (int q = 0; q < k; q++) {
                    int j = (i + q) % k;
                    long t0 = System.nanoTime(); runs[j].run(); times[j][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            StringBuilder sb = new StringBuilder(shape);
            for (int q = 0; q < k; q++) { double[] c2 = times[q].clone(); Arrays.sort(c2); sb.append(String.format(" %s %.3f", names[q], c2[reps / 2])); }
            System.out.println(sb);
        }
    }
}
