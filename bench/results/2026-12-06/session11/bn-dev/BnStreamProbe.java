package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Probe: per-pass costs at [32, 256, 14, 14], two threads, memory order vs channel blocks. */
public final class BnStreamProbe {
    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final int L = F.length();
    static final int N = 32, C = 256, S = 196, T = N * C * S;
    static float[] x = new float[T], y = new float[T], dy = new float[T], dx = new float[T];
    static float[][] lanes = new float[8][C * L];
    static volatile float sink;
    static final VectorKernels VK = new VectorKernels();
    static float[] mean = new float[C], var = new float[C], w = new float[C], b = new float[C], gw = new float[C], gb = new float[C];

    interface Pass { void run(); }

    public static void main(String[] a) {
        Random r = new Random(1);
        for (int i = 0; i < T; i++) { x[i] = r.nextFloat(); dy[i] = r.nextFloat(); }
        VectorMask<Float> tail = F.indexInRange(F.loopBound(S), S);
        int bound = F.loopBound(S);
        String[] names = {"copy", "add", "sumChain", "sum4", "sumBlocks16", "sumBlocks64", "copyBlocks16", "normGroups", "dxGroups", "fwdBlocks", "bwdBlocks", "fwdGroups", "bwdGroups", "fwdBwdBlocks", "fwdBwdGroups", "baseline"};
        Pass[] passes = {
            () -> CpuThreads.forEach(8, g -> { int per = T / 8; System.arraycopy(x, g * per, y, g * per, per); }),
            () -> CpuThreads.forEach(8, g -> { int per = T / 8; for (int i = g * per; i < (g + 1) * per; i += L)
                    FloatVector.fromArray(F, dy, i).add(FloatVector.fromArray(F, x, i)).intoArray(dx, i); }),
            () -> CpuThreads.forEach(8, g -> { float[] ln = lanes[g];
                    for (int n = g * 4; n < g * 4 + 4; n++) for (int c = 0; c < C; c++) { int at = (n * C + c) * S;
                        FloatVector acc = FloatVector.fromArray(F, ln, c * L); int s = 0;
                        for (; s < bound; s += L) acc = acc.add(FloatVector.fromArray(F, x, at + s));
                        acc = acc.add(FloatVector.fromArray(F, x, at + s, tail)); acc.intoArray(ln, c * L); } }),
            () -> CpuThreads.forEach(8, g -> { float[] ln = lanes[g];
                    for (int n = g * 4; n < g * 4 + 4; n++) for (int c = 0; c < C; c++) { int at = (n * C + c) * S;
                        FloatVector a0 = FloatVector.fromArray(F, x, at), a1 = FloatVector.fromArray(F, x, at + L),
                            a2 = FloatVector.fromArray(F, x, at + 2 * L), a3 = FloatVector.fromArray(F, x, at + 3 * L);
                        int s = 4 * L;
                        for (; s + 4 * L <= bound; s += 4 * L) { a0 = a0.add(FloatVector.fromArray(F, x, at + s));
                            a1 = a1.add(FloatVector.fromArray(F, x, at + s + L)); a2 = a2.add(FloatVector.fromArray(F, x, at + s + 2 * L));
                            a3 = a3.add(FloatVector.fromArray(F, x, at + s + 3 * L)); }
                        for (; s < bound; s += L) a0 = a0.add(FloatVector.fromArray(F, x, at + s));
                        a1 = a1.add(FloatVector.fromArray(F, x, at + s, tail));
                        FloatVector.fromArray(F, ln, c * L).add(a0.add(a1).add(a2.add(a3))).intoArray(ln, c * L); } }),
            () -> blocks(16, bound, tail),
            () -> blocks(64, bound, tail),
            () -> CpuThreads.forEach(16, b -> { for (int n = 0; n < N; n++) { int at = (n * C + b * 16) * S;
                    System.arraycopy(x, at, y, at, 16 * S); } }),
            () -> VectorImageGroupBatchNorm.forward(y, x, mean, var, w, b, 1e-5f, N, C, S),
            () -> VectorImageGroupBatchNorm.backward(dx, gw, gb, dy, x, mean, var, w, 1e-5f, false, N, C, S),
            () -> VectorBatchNorm.trainingForward(y, mean, var, x, w, b, 1e-5f, N, C, S),
            () -> VectorBatchNorm.backward(dx, gw, gb, dy, x, mean, var, w, 1e-5f, true, N, C, S),
            () -> VectorImageGroupBatchNorm.trainingForward(y, mean, var, x, w, b, 1e-5f, N, C, S),
            () -> VectorImageGroupBatchNorm.backward(dx, gw, gb, dy, x, mean, var, w, 1e-5f, true, N, C, S),
            () -> { VectorBatchNorm.trainingForward(y, mean, var, x, w, b, 1e-5f, N, C, S);
                    VectorBatchNorm.backward(dx, gw, gb, dy, x, mean, var, w, 1e-5f, true, N, C, S); },
            () -> { VectorImageGroupBatchNorm.trainingForward(y, mean, var, x, w, b, 1e-5f, N, C, S);
                    VectorImageGroupBatchNorm.backward(dx, gw, gb, dy, x, mean, var, w, 1e-5f, true, N, C, S); },
            () -> { VK.affine(y, x, 1f, 0f, T); VK.binary(org.deephash4j.backend.BinaryOp.ADD, dx, dy, x, T); },
        };
        java.util.Arrays.fill(var, 1f); java.util.Arrays.fill(w, 1f);
        String only = System.getProperty("only", "");
        for (int round = 0; round < 3; round++) {
            for (int p = 0; p < passes.length; p++) {
                if (!only.isEmpty() && !java.util.Arrays.asList(only.split(",")).contains(names[p])) continue;
                double[] t = new double[300];
                for (int i = 0; i < 100; i++) passes[p].run();
                for (int i = 0; i < t.length; i++) { long t0 = System.nanoTime(); passes[p].run(); t[i] = (System.nanoTime() - t0) / 1e6; }
                Arrays.sort(t);
                System.out.printf("round %d %-14s median %.3f ms  p10 %.3f%n", round, names[p], t[t.length / 2], t[t.length / 10]);
            }
        }
    }

    static void blocks(int per, int bound, VectorMask<Float> tail) {
        CpuThreads.forEach(C / per, b -> { float[] ln = new float[per * L];
            for (int n = 0; n < N; n++) for (int c = b * per; c < b * per + per; c++) { int at = (n * C + c) * S;
                FloatVector acc = FloatVector.fromArray(F, ln, (c - b * per) * L); int s = 0;
                for (; s < bound; s += L) acc = acc.add(FloatVector.fromArray(F, x, at + s));
                acc = acc.add(FloatVector.fromArray(F, x, at + s, tail)); acc.intoArray(ln, (c - b * per) * L); }
            sink = ln[0]; });
    }
}
