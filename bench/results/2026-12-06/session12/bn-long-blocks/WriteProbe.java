package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Probe: why the batch norm's writing passes at 14 x 14 cost more than a streaming add. */
public final class WriteProbe {
    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final int L = F.length();
    static final int N = 32, C = 256, S = 196, T = N * C * S, K = Integer.getInteger("k", 16);
    static float[] x = new float[T], dy = new float[T], dx = new float[T];
    static final VectorKernels VK = new VectorKernels();
    interface Pass { void run(); }

    public static void main(String[] a) {
        Random r = new Random(1);
        for (int i = 0; i < T; i++) { x[i] = r.nextFloat(); dy[i] = r.nextFloat(); }
        VectorMask<Float> tail = F.indexInRange(F.loopBound(S), S);
        String[] names = {"add", "addBlocks", "dxPlanes", "dxPlanesMasked", "dxTables", "dxPlanes2ch"};
        Pass[] passes = {
            () -> VK.binary(org.deephash4j.backend.BinaryOp.ADD, dx, dy, x, T),
            () -> CpuThreads.forEach(C / K, b -> { for (int n = 0; n < N; n++) { int at = (n * C + b * K) * S;
                    for (int i = 0; i < K * S; i += L) FloatVector.fromArray(F, dy, at + i).add(FloatVector.fromArray(F, x, at + i)).intoArray(dx, at + i); } }),
            () -> CpuThreads.forEach(C / K, b -> { for (int n = 0; n < N; n++) for (int c = b * K; c < b * K + K; c++)
                    VectorBatchNorm.gradInputPlane(dx, dy, x, (n * C + c) * S, S, 0.5f, 0.1f, 0.2f, 1.1f); }),
            () -> CpuThreads.forEach(C / K, b -> { for (int n = 0; n < N; n++) for (int c = b * K; c < b * K + K; c++)
                    dxMasked(dx, dy, x, (n * C + c) * S, 0.5f, 0.1f, 0.2f, 1.1f, tail); }),
            () -> CpuThreads.forEach(C / K, b -> { float[] ta = new float[K * S], tb = new float[K * S], tc = new float[K * S];
                    Arrays.fill(ta, 1.1f); Arrays.fill(tb, -0.2f); Arrays.fill(tc, 0.3f);
                    for (int n = 0; n < N; n++) { int at = (n * C + b * K) * S;
                        for (int i = 0; i < K * S; i += L) FloatVector.fromArray(F, x, at + i).fma(FloatVector.fromArray(F, tb, i), FloatVector.fromArray(F, tc, i))
                                .add(FloatVector.fromArray(F, dy, at + i).mul(FloatVector.fromArray(F, ta, i))).intoArray(dx, at + i); } }),
            () -> CpuThreads.forEach(C / K, b -> { for (int n = 0; n < N; n++) for (int c = b * K; c < b * K + K; c += 2) {
                    VectorBatchNorm.gradInputPlane(dx, dy, x, (n * C + c) * S, 2 * S, 0.5f, 0.1f, 0.2f, 1.1f); } }),
        };
        for (int round = 0; round < 3; round++) {
            for (int p = 0; p < passes.length; p++) {
                double[] t = new double[300];
                for (int i = 0; i < 100; i++) passes[p].run();
                for (int i = 0; i < t.length; i++) { long t0 = System.nanoTime(); passes[p].run(); t[i] = (System.nanoTime() - t0) / 1e6; }
                Arrays.sort(t);
                if (round > 0) System.out.printf("round %d %-15s median %.3f ms  p10 %.3f%n", round, names[p], t[t.length / 2], t[t.length / 10]);
            }
        }
    }

    static void dxMasked(float[] dx, float[] dy, float[] x, int at, float m, float meanDy, float slope, float scale, VectorMask<Float> tail) {
        FloatVector mv = FloatVector.broadcast(F, m), ns = FloatVector.broadcast(F, -slope), md = FloatVector.broadcast(F, meanDy);
        int i = 0, bound = F.loopBound(S);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, at + i).sub(md);
            FloatVector.fromArray(F, x, at + i).sub(mv).fma(ns, g).mul(scale).intoArray(dx, at + i);
        }
        FloatVector g = FloatVector.fromArray(F, dy, at + i, tail).sub(md);
        FloatVector.fromArray(F, x, at + i, tail).sub(mv).fma(ns, g).mul(scale).intoArray(dx, at + i, tail);
    }
}
