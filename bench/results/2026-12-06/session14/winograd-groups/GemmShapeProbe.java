package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/** Single-thread GFLOP/s of gemmPacked at given M N K (A prepacked, B row-major in place). */
public final class GemmShapeProbe {
    public static void main(String[] args) {
        try (CpuThreads.Limit oneThread = CpuThreads.limit(1)) {   // every product on this thread, as inside a task
            run(args);
        }
    }

    static void run(String[] args) {
        System.out.println("L=" + VectorWidth.FLOAT.length() + " MR=" + VectorGemm.MR);
        for (int s = 0; s + 2 < args.length; s += 3) {
            int m = Integer.parseInt(args[s]), n = Integer.parseInt(args[s + 1]), k = Integer.parseInt(args[s + 2]);
            Random r = new Random(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
            float[] packed = new float[VectorGemm.packedSize(m, k)];
            VectorGemm.packAll(false, m, k, a, 0, packed, 0);
            int reps = (int) Math.max(200, 2e9 / (2.0 * m * n * k));
            long[] t = new long[reps];
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                VectorGemm.gemmPacked(false, m, n, k, 1f, packed, 0, b, 0, 0f, c, 0);
                t[rep] = System.nanoTime() - t0;
            }
            long[] x = Arrays.copyOfRange(t, reps / 2, reps);
            Arrays.sort(x);
            System.out.printf("%d x %d x %d: %.2f us, %.1f GFLOP/s%n", m, n, k, x[x.length / 2] / 1e3, 2.0 * m * n * k / x[x.length / 2]);
        }
    }
}
