package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/** Times the three phases of one image's Winograd forward on one thread. */
public final class WinoPhaseProbe {
    public static void main(String[] args) {
        try (CpuThreads.Limit oneThread = CpuThreads.limit(1)) {   // every product on this thread, as inside a task
            run(args);
        }
    }

    static void run(String[] args) {
        int inC = Integer.parseInt(args[0]), outC = Integer.parseInt(args[1]), h = Integer.parseInt(args[2]);
        int w = h, reps = Integer.parseInt(args[3]);
        int tw = (w + 3) / 4, th = (h + 3) / 4, tiles = tw * th, plane = h * w;
        Random r = new Random(1);
        float[] src = new float[inC * plane], out = new float[outC * plane];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat() - 0.5f;
        int uStride = inC * outC + 16, vStride = tiles * inC + 16, mStride = tiles * outC + 16;
        float[] u = new float[36 * uStride], v = new float[36 * vStride], m = new float[36 * mStride];
        for (int i = 0; i < u.length; i++) u[i] = r.nextFloat() - 0.5f;
        float[] packed = new float[VectorGemm.packedSize(tiles, inC)];
        int[] lanes = VectorWidth.strided(plane);
        int L = VectorWidth.FLOAT.length();
        int[] inTail = new int[L], outTail = new int[L];
        long tIn = 0, tPack = 0, tGemm = 0, tOut = 0;
        long[] a = new long[reps], b = new long[reps], c = new long[reps], d = new long[reps];
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            VectorWinogradConv2d.inputTransform(v, 0, vStride, inC, src, 0, h, w, tw, th, lanes, inTail);
            long t1 = System.nanoTime();
            long pk = 0, gm = 0;
            for (int xi = 0; xi < 36; xi++) {
                long s0 = System.nanoTime();
                VectorGemm.packAll(false, tiles, inC, v, xi * vStride, packed, 0);
                long s1 = System.nanoTime();
                VectorGemm.gemmPacked(false, tiles, outC, inC, 1f, packed, 0, u, xi * uStride, 0f, m, xi * mStride);
                long s2 = System.nanoTime();
                pk += s1 - s0; gm += s2 - s1;
            }
            long t2 = System.nanoTime();
            VectorWinogradConv2d.outputTransform(out, 0, h, w, m, 0, mStride, outC, null, 0, tw, th, lanes, outTail);
            long t3 = System.nanoTime();
            a[rep] = t1 - t0; b[rep] = pk; c[rep] = gm; d[rep] = t3 - t2;
        }
        int from = reps / 2;
        long[][] all = {a, b, c, d};
        String[] names = {"input", "pack", "gemm", "output"};
        double fma = 36.0 * tiles * inC * outC;
        for (int i = 0; i < 4; i++) {
            long[] x = Arrays.copyOfRange(all[i], from, reps);
            Arrays.sort(x);
            System.out.printf("%s %.1f us%n", names[i], x[x.length / 2] / 1e3);
            if (i == 2) System.out.printf("  gemm GFLOP/s %.1f%n", 2 * fma / x[x.length / 2]);
        }
        System.out.printf("direct-equivalent FMA %.1f M, wino products %.1f M%n", 9.0 * plane * inC * outC / 1e6, fma / 1e6);
    }
}
