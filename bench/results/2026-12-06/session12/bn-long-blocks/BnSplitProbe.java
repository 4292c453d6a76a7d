package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/** Probe: where the small-plane batch norm's time goes, pass by pass, at [32, 256, 14, 14]. */
public final class BnSplitProbe {
    static final int N = 32, C = 256, S = 196, T = N * C * S;
    static float[] x = new float[T], y = new float[T], dy = new float[T], dx = new float[T];
    static float[] mean = new float[C], var = new float[C], w = new float[C], b = new float[C], gw = new float[C], gb = new float[C];
    static final VectorKernels VK = new VectorKernels();
    interface Pass { void run(); }

    public static void main(String[] a) {
        Random r = new Random(1);
        for (int i = 0; i < T; i++) { x[i] = r.nextFloat(); dy[i] = r.nextFloat(); }
        Arrays.fill(var, 1f); Arrays.fill(w, 1f);
        String[] names = {"fwdSum", "fwdSumSq", "fwdAll", "fwdNormOnly", "bwdSums", "bwdDx", "bwdAll", "copy", "add", "fwdBwd", "baseline"};
        int[][] modes = {{1, -1}, {3, -1}, {7, -1}, {4, -1}, {-1, 1}, {-1, 2}, {-1, 3}, {0, 0}, {0, 0}, {7, 3}, {0, 0}};
        for (int round = 0; round < 3; round++) {
            for (int p = 0; p < names.length; p++) {
                final int fm = modes[p][0], bm = modes[p][1]; final String name = names[p];
                Pass pass = () -> {
                    if (name.equals("copy") || name.equals("baseline")) VK.affine(y, x, 1f, 0f, T);
                    if (name.equals("add") || name.equals("baseline")) VK.binary(org.deephash4j.backend.BinaryOp.ADD, dx, dy, x, T);
                    if (fm > 0) { ProbeBatchNorm.MODE = fm; ProbeBatchNorm.trainingForward(y, mean, var, x, w, b, 1e-5f, N, C, S); }
                    if (bm > 0) { ProbeBatchNorm.MODE = bm; ProbeBatchNorm.backward(dx, gw, gb, dy, x, mean, var, w, 1e-5f, true, N, C, S); }
                };
                double[] t = new double[300];
                for (int i = 0; i < 100; i++) pass.run();
                for (int i = 0; i < t.length; i++) { long t0 = System.nanoTime(); pass.run(); t[i] = (System.nanoTime() - t0) / 1e6; }
                Arrays.sort(t);
                System.out.printf("round %d %-12s median %.3f ms  p10 %.3f%n", round, name, t[t.length / 2], t[t.length / 10]);
            }
        }
    }
}
