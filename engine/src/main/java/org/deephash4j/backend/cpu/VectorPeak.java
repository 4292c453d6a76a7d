package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 multiply-add peak as this JVM reaches it: {@link #CHAINS} independent
 * chains of vector FMAs per thread, on every thread of {@link CpuThreads}, with no memory traffic.
 * The GEMM figures in {@code bench/RESULTS.md} are quoted as fractions of this one.
 *
 * <p>Twelve chains: a core with two FMA pipes of latency 4 needs at least 8 in flight; 12 fit in
 * the 16 registers of AVX2 with room for the multiplier. {@link #scalarMultiplyAdds} is the same
 * loop on scalar floats, the figure a kernel without the Vector API can hope for.
 */
public final class VectorPeak {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    /** Independent FMA chains per thread. */
    public static final int CHAINS = 12;

    private VectorPeak() {
    }

    /** Floats per vector of the species the vector kernels use. */
    public static int lanes() {
        return F.length();
    }

    /**
     * Runs exactly {@code multiplyAdds} float multiply-adds (a multiple of CHAINS · lanes) spread
     * over all threads, as vector FMAs; returns a sum of the chains so the work is not dead.
     */
    public static float vectorMultiplyAdds(long multiplyAdds) {
        long units = unitsOf(multiplyAdds, CHAINS * F.length());
        int threads = CpuThreads.threads();
        float[] results = new float[threads];
        CpuThreads.forEach(threads, t -> results[t] = vectorChains(share(units, threads, t), t));
        return sum(results);
    }

    /** The same count of multiply-adds on scalar floats (CHAINS chains per thread). */
    public static float scalarMultiplyAdds(long multiplyAdds) {
        long units = unitsOf(multiplyAdds, CHAINS);
        int threads = CpuThreads.threads();
        float[] results = new float[threads];
        CpuThreads.forEach(threads, t -> results[t] = scalarChains(share(units, threads, t), t));
        return sum(results);
    }

    private static long unitsOf(long multiplyAdds, int perUnit) {
        if (multiplyAdds <= 0 || multiplyAdds % perUnit != 0) {
            throw new IllegalArgumentException("peak: multiplyAdds " + multiplyAdds + " must be a positive multiple of "
                    + perUnit + " (chains x lanes)");
        }
        return multiplyAdds / perUnit;
    }

    /** Units for thread t when units are shared as evenly as possible. */
    private static long share(long units, int threads, int t) {
        return units / threads + (t < units % threads ? 1 : 0);
    }

    private static float sum(float[] x) {
        float s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    private static float vectorChains(long steps, int seed) {
        // x -> x * m + a with m just below 1 stays finite for any number of steps.
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector a = FloatVector.broadcast(F, 1e-7f * (seed + 1));
        FloatVector c0 = FloatVector.broadcast(F, 0.1f), c1 = FloatVector.broadcast(F, 0.2f);
        FloatVector c2 = FloatVector.broadcast(F, 0.3f), c3 = FloatVector.broadcast(F, 0.4f);
        FloatVector c4 = FloatVector.broadcast(F, 0.5f), c5 = FloatVector.broadcast(F, 0.6f);
        FloatVector c6 = FloatVector.broadcast(F, 0.7f), c7 = FloatVector.broadcast(F, 0.8f);
        FloatVector c8 = FloatVector.broadcast(F, 0.9f), c9 = FloatVector.broadcast(F, 1.0f);
        FloatVector c10 = FloatVector.broadcast(F, 1.1f), c11 = FloatVector.broadcast(F, 1.2f);
        for (long s = 0; s < steps; s++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
            c10 = c10.fma(m, a);
            c11 = c11.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static float scalarChains(long steps, int seed) {
        float m = 0.999999f;
        float a = 1e-7f * (seed + 1);
        float c0 = 0.1f, c1 = 0.2f, c2 = 0.3f, c3 = 0.4f, c4 = 0.5f, c5 = 0.6f;
        float c6 = 0.7f, c7 = 0.8f, c8 = 0.9f, c9 = 1.0f, c10 = 1.1f, c11 = 1.2f;
        for (long s = 0; s < steps; s++) {
            c0 = Math.fma(c0, m, a);
            c1 = Math.fma(c1, m, a);
            c2 = Math.fma(c2, m, a);
            c3 = Math.fma(c3, m, a);
            c4 = Math.fma(c4, m, a);
            c5 = Math.fma(c5, m, a);
            c6 = Math.fma(c6, m, a);
            c7 = Math.fma(c7, m, a);
            c8 = Math.fma(c8, m, a);
            c9 = Math.fma(c9, m, a);
            c10 = Math.fma(c10, m, a);
            c11 = Math.fma(c11, m, a);
        }
        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }
}
