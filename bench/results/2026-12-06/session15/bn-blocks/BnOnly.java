package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.BinaryOp;

/** One JVM, HEAD's batch norm alone: forward, backward, both, and the baseline, medians of alternated calls. */
public final class BnOnly {
    public static void main(String[] args) {
        VectorKernels vk = new VectorKernels();
        String[] d = args[0].split("x");
        int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), s = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
        int t = n * c * s;
        Random r = new Random(5);
        float[] x = new float[t], dy = new float[t], y = new float[t], dx = new float[t];
        for (int i = 0; i < t; i++) { x[i] = 3f + r.nextFloat(); dy[i] = r.nextFloat() - 0.5f; }
        float[] w = new float[c], b = new float[c], m = new float[c], v = new float[c], gw = new float[c], gb = new float[c];
        for (int i = 0; i < c; i++) { w[i] = 0.5f + r.nextFloat(); b[i] = r.nextFloat(); }
        Runnable[] runs = {
            () -> VectorBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s),
            () -> VectorBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s),
            () -> { vk.affine(y, x, 1f, 0f, t); vk.binary(BinaryOp.ADD, dx, dy, x, t); },
        };
        String[] names = {"fwd", "bwd", "base"};
        int warm = Integer.getInteger("warm", 150);
        for (int i = 0; i < warm; i++) { runs[0].run(); runs[1].run(); }
        for (int i = 0; i < 20; i++) runs[2].run();
        int reps = Integer.getInteger("reps", 200);
        double[][] times;
        int run = Integer.getInteger("run", 1);
        times = new double[4][reps];
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
        for (int i = 0; i < reps; i += run) {
            for (int j = i; j < Math.min(reps, i + run); j++) {
                long t0 = System.nanoTime(); runs[0].run(); long t1 = System.nanoTime(); runs[1].run(); long t2 = System.nanoTime();
                times[0][j] = (t1 - t0) / 1e6; times[1][j] = (t2 - t1) / 1e6; times[3][j] = (t2 - t0) / 1e6;
            }
            for (int j = i; j < Math.min(reps, i + run); j++) {
                long t0 = System.nanoTime(); runs[2].run(); times[2][j] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double cpuPerWall = (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
        StringBuilder sb = new StringBuilder(args[0] + String.format(" cpu/wall %.2f", cpuPerWall));
        double[] med = new double[3];
        for (int k = 0; k < 3; k++) { double[] c2 = times[k].clone(); Arrays.sort(c2); med[k] = c2[reps / 2]; sb.append(String.format(" %s %.3f", names[k], med[k])); }
        double[] c3 = times[3].clone(); Arrays.sort(c3); sb.append(String.format(" both %.3f run %d ratio %.2f", c3[reps / 2], run, c3[reps / 2] / med[2]));
        System.out.println(sb);
    }
}
