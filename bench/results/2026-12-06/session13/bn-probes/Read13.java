package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Read-only pass variants at [N, C, S]: P13S's mean pass against plain sums over the same blocks. */
public final class Read13 {
    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final int L = F.length();
    static volatile float sink;

    public static void main(String[] args) {
        for (String shape : args) {
            String[] d = shape.split("x");
            int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), s = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
            int t = n * c * s;
            Random r = new Random(5);
            float[] x = new float[t], y = new float[t], dy = new float[t], dx = new float[t];
            for (int i = 0; i < t; i++) { x[i] = 3f + r.nextFloat(); dy[i] = r.nextFloat(); }
            float[] w = new float[c], b = new float[c], m = new float[c], v = new float[c];
            int blocks = 4, per = c / blocks;
            String[] names = {"meanPass", "planesTailPf", "planesTail", "memOrder4", "planes1acc"};
            float[][] lanesB = new float[blocks][per * L]; float[][] tailsB = new float[blocks][per];
            Runnable[] runs = {
                () -> { P13S.MODE = 1; P13S.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s); },
                () -> CpuThreads.forEach(blocks, bl -> { float pf = 0; for (int i = 0; i < n; i++) pf += planesTailPf(x, (i * c + bl * per) * s, per, s, lanesB[bl], tailsB[bl], i + 1 < n ? c * s : 0); sink = pf; }),
                () -> CpuThreads.forEach(blocks, bl -> { for (int i = 0; i < n; i++) planesTail(x, (i * c + bl * per) * s, per, s, lanesB[bl], tailsB[bl]); }),
                () -> CpuThreads.forEach(blocks, bl -> sink = run4(x, bl * (t / blocks), t / blocks)),
                () -> CpuThreads.forEach(blocks, bl -> { float acc = 0; for (int i = 0; i < n; i++) acc += planes(x, (i * c + bl * per) * s, per, s); sink = acc; }),
            };
            int k = runs.length, reps = Integer.getInteger("reps", 300);
            double[][] times = new double[k][reps];
            for (int i = 0; i < 100; i++) for (Runnable run : runs) run.run();
            for (int i = 0; i < reps; i++) for (int q = 0; q < k; q++) {
                int j = (i + q) % k;
                long t0 = System.nanoTime(); runs[j].run(); times[j][i] = (System.nanoTime() - t0) / 1e6;
            }
            StringBuilder sb = new StringBuilder(shape);
            for (int q = 0; q < k; q++) { double[] c2 = times[q].clone(); Arrays.sort(c2); sb.append(String.format(" %s %.3f", names[q], c2[reps / 2])); }
            System.out.println(sb);
        }
    }

    static float run1(float[] x, int at, int len) {
        FloatVector a = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= len; i += L) a = a.add(FloatVector.fromArray(F, x, at + i));
        return a.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    static float run4(float[] x, int at, int len) {
        FloatVector a = FloatVector.zero(F), b2 = a, c2 = a, d2 = a;
        int i = 0;
        for (; i + 4 * L <= len; i += 4 * L) {
            a = a.add(FloatVector.fromArray(F, x, at + i));
            b2 = b2.add(FloatVector.fromArray(F, x, at + i + L));
            c2 = c2.add(FloatVector.fromArray(F, x, at + i + 2 * L));
            d2 = d2.add(FloatVector.fromArray(F, x, at + i + 3 * L));
        }
        return a.add(b2).add(c2).add(d2).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    static void planesLanes(float[] x, int at, int count, int s, float[] lanes) {
        int bound = F.loopBound(s);
        for (int j = 0; j < count; j++, at += s) {
            FloatVector a = FloatVector.fromArray(F, lanes, j * L);
            for (int i = 0; i < bound; i += L) a = a.add(FloatVector.fromArray(F, x, at + i));
            a.intoArray(lanes, j * L);
        }
    }

    static float planesTailPf(float[] x, int at, int count, int s, float[] lanes, float[] tails, int ahead) {
        int bound = F.loopBound(s);
        float pf = 0;
        for (int j = 0; j < count; j++, at += s) {
            pf += x[at + ahead];   // touches the same plane of the next image: starts its stream early
            FloatVector a = FloatVector.fromArray(F, lanes, j * L);
            int i = 0;
            for (; i < bound; i += L) a = a.add(FloatVector.fromArray(F, x, at + i));
            a.intoArray(lanes, j * L);
            float t = tails[j];
            for (; i < s; i++) t += x[at + i];
            tails[j] = t;
        }
        return pf;
    }

    static void planesTail(float[] x, int at, int count, int s, float[] lanes, float[] tails) {
        int bound = F.loopBound(s);
        for (int j = 0; j < count; j++, at += s) {
            FloatVector a = FloatVector.fromArray(F, lanes, j * L);
            int i = 0;
            for (; i < bound; i += L) a = a.add(FloatVector.fromArray(F, x, at + i));
            a.intoArray(lanes, j * L);
            float t = tails[j];
            for (; i < s; i++) t += x[at + i];
            tails[j] = t;
        }
    }

    /** Per plane one accumulator, no tail, no lane store: the shape of addPlanes without its bookkeeping. */
    static float planes(float[] x, int at, int count, int s) {
        FloatVector tot = FloatVector.zero(F);
        int bound = F.loopBound(s);
        for (int j = 0; j < count; j++, at += s) {
            FloatVector a = FloatVector.zero(F);
            for (int i = 0; i < bound; i += L) a = a.add(FloatVector.fromArray(F, x, at + i));
            tot = tot.add(a);
        }
        return tot.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
