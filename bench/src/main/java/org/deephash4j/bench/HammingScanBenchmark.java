package org.deephash4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.HammingKernels;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact k-NN by linear scan ({@link LinearScan}, best kernels: Vector API BIT_COUNT) over 1,000,000 uniformly
 * random codes; 1,000 random queries, {@value #BATCH} per invocation spread over {@code threads} workers;
 * {@code knn} for k in {1, 100} and {@code radius} (distance <= 2).
 * One op = one query, so the score is queries per second; codes scanned per second = score x 1,000,000
 * (faiss IndexBinaryFlat, 2 threads, 64 bits, k = 100: about 0.9 G codes/s).
 *
 * <p>Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar HammingScanBenchmark}
 * (one configuration: add {@code -p bits=64 -p threads=2 -p k=100}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class HammingScanBenchmark {
    static final int N = 1_000_000;
    static final int QUERIES = 1000;
    static final int BATCH = 100;

    @Param({"32", "64", "128"})
    int bits;

    @Param({"1", "2"})
    int threads;

    static final int RADIUS = 2;

    /** k lives in its own state so that {@link #radius} is not repeated for every k. */
    @State(Scope.Benchmark)
    public static class Knn {
        @Param({"1", "100"})
        int k;

        /** Verify before timing: the timed k-NN path against the scalar reference scan on a few queries. */
        @Setup(Level.Trial)
        public void check(HammingScanBenchmark b) {
            Neighbors[] fast = b.scan.knnBatch(b.batches[0], k, b.threads);
            for (int q = 0; q < 4; q++) {
                Neighbors expected = b.reference.knn(b.batches[0], q, k);
                if (!expected.equals(fast[q])) {
                    throw new IllegalStateException("HammingScanBenchmark: " + b.scan.kernels().name()
                            + " k-NN disagrees with the reference on query " + q + ": " + fast[q] + " vs " + expected);
                }
            }
        }
    }

    private LinearScan scan;
    private LinearScan reference;
    private BinaryCodes[] batches;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(20261125L + bits);
        BinaryCodes database = BenchCodes.random(N, bits, rnd);
        BinaryCodes queries = BenchCodes.random(QUERIES, bits, rnd);
        scan = new LinearScan(database);
        batches = new BinaryCodes[QUERIES / BATCH];
        for (int b = 0; b < batches.length; b++) {
            int[] rows = new int[BATCH];
            for (int i = 0; i < BATCH; i++) rows[i] = b * BATCH + i;
            batches[b] = queries.select(rows);
        }
        // Verify before timing: the timed radius path against the scalar reference scan on a few queries.
        reference = new LinearScan(database, HammingKernels.reference());
        Neighbors[] fast = scan.radiusBatch(batches[0], RADIUS, threads);
        for (int q = 0; q < 4; q++) {
            Neighbors expected = reference.radius(batches[0], q, RADIUS);
            if (!expected.equals(fast[q])) {
                throw new IllegalStateException("HammingScanBenchmark: " + scan.kernels().name()
                        + " radius search disagrees with the reference on query " + q);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Neighbors[] knn(Knn p) {
        BinaryCodes batch = batches[next];
        next = (next + 1) % batches.length;
        return scan.knnBatch(batch, p.k, threads);
    }

    /** Radius search (distance <= 2) by the same scan. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Neighbors[] radius() {
        BinaryCodes batch = batches[next];
        next = (next + 1) % batches.length;
        return scan.radiusBatch(batch, RADIUS, threads);
    }
}
