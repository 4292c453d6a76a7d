package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/** gemmPacked 36 times per rep, as Winograd's image-by-image does, with variations. */
public final class GemmCtxProbe {
    public static void main(String[] args) {
        try (CpuThreads.Limit oneThread = CpuThreads.limit(1)) {   // every product on this thread, as inside a task
            run(args);
        }
    }

    static void run(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]);
        int reps = 2000;
        Random r = new Random(1);
        int aStride = m * k + 16, bStride = k * n + 16, cStride = m * n + 16;
        float[] a = new float[36 * aStride], b = new float[36 * bStride], c = new float[36 * cStride];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
        float[] packed = new float[VectorGemm.packedSize(m, k)];
        for (int mode = 0; mode < 4; mode++) {
            long[] t = new long[reps];
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                for (int xi = 0; xi < 36; xi++) {
                    int bi = (mode & 1) != 0 ? xi : 0;      // rotate B
                    int ci = (mode & 2) != 0 ? xi : 0;      // rotate C
                    VectorGemm.packAll(false, m, k, a, xi * aStride, packed, 0);
                    VectorGemm.gemmPacked(false, m, n, k, 1f, packed, 0, b, bi * bStride, 0f, c, ci * cStride);
                }
                t[rep] = System.nanoTime() - t0;
            }
            long[] x = Arrays.copyOfRange(t, reps / 2, reps);
            Arrays.sort(x);
            System.out.printf("mode rotateB=%b rotateC=%b: %.1f us per 36 (pack+gemm)%n", (mode & 1) != 0, (mode & 2) != 0, x[x.length / 2] / 1e3);
        }
    }
}
