import jdk.incubator.vector.*;
import java.util.*;
import java.util.concurrent.*;

public class BnProbe {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static int N, C, S;
    static float[] x, y, dy, dx;
    static final ExecutorService pool = Executors.newFixedThreadPool(2);
    static float sink;

    interface Range { void run(int from, int to); }
    static void par(int tasks, Range r) throws Exception {
        List<Future<?>> fs = new ArrayList<>();
        int half = tasks / 2;
        fs.add(pool.submit(() -> r.run(0, half)));
        fs.add(pool.submit(() -> r.run(half, tasks)));
        for (Future<?> f : fs) f.get();
    }
    static float sumRange(float[] a, int from, int to) {
        FloatVector acc = FloatVector.zero(F), acc2 = FloatVector.zero(F);
        int i = from;
        for (; i + 2 * L <= to; i += 2 * L) { acc = acc.add(FloatVector.fromArray(F, a, i)); acc2 = acc2.add(FloatVector.fromArray(F, a, i + L)); }
        for (; i + L <= to; i += L) acc = acc.add(FloatVector.fromArray(F, a, i));
        float t = acc.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) t += a[i];
        return t;
    }
    static void copyRange(float[] dst, float[] src, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) FloatVector.fromArray(F, src, i).intoArray(dst, i);
        for (; i < to; i++) dst[i] = src[i];
    }
    public static void main(String[] a) throws Exception {
        N = Integer.parseInt(a[0]); C = Integer.parseInt(a[1]); S = Integer.parseInt(a[2]);
        int n = N * C * S;
        x = new float[n]; y = new float[n]; dy = new float[n]; dx = new float[n];
        Random r = new Random(1); for (int i = 0; i < n; i++) { x[i] = r.nextFloat(); dy[i] = r.nextFloat(); }
        String[] names = {"contigSum", "channelSum", "channelSum2x", "copy", "channelCopy"};
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (String s : names) times.put(s, new ArrayList<>());
        for (int rep = 0; rep < 60; rep++) {
            for (String s : names) {
                long t0 = System.nanoTime();
                switch (s) {
                    case "contigSum" -> par(N, (f, t) -> { for (int i = f; i < t; i++) sink += sumRange(x, i * C * S, (i + 1) * C * S); });
                    case "channelSum" -> par(C, (f, t) -> { for (int c = f; c < t; c++) for (int i = 0; i < N; i++) sink += sumRange(x, (i * C + c) * S, (i * C + c + 1) * S); });
                    case "channelSum2x" -> par(C, (f, t) -> { for (int c = f; c < t; c++) for (int p = 0; p < 2; p++) for (int i = 0; i < N; i++) sink += sumRange(x, (i * C + c) * S, (i * C + c + 1) * S); });
                    case "copy" -> par(N, (f, t) -> copyRange(y, x, f * C * S, t * C * S));
                    case "channelCopy" -> par(C, (f, t) -> { for (int c = f; c < t; c++) for (int i = 0; i < N; i++) copyRange(y, x, (i * C + c) * S, (i * C + c + 1) * S); });
                }
                if (rep >= 20) times.get(s).add((System.nanoTime() - t0) / 1e6);
            }
        }
        for (var e : times.entrySet()) { List<Double> v = e.getValue(); Collections.sort(v); System.out.printf("%-14s median %.3f ms  p10 %.3f  p90 %.3f%n", e.getKey(), v.get(v.size()/2), v.get(v.size()/10), v.get(v.size()*9/10)); }
        pool.shutdown();
    }
}
