package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.MultiIndexHashing;
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
 * Exact k-NN (k = 100) over the databases of {@link MultiIndexBenchmark} (1M x 64 bits, random or clustered,
 * 1,000 queries on 2 workers): {@code knn} by multi-index hashing, {@code scanKnn} by the linear scan
 * (one op = one query, queries per second), and {@code build}, the time to build the multi-index tables
 * (single shot, seconds per build).
 *
 * <p>Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar MultiIndexKnnBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class MultiIndexKnnBenchmark {
    static final int K = 100;

    @Param({"random", "clustered"})
    String codes;

    @Param({"2"})
    int threads;

    /** Substrings of the multi-index; 0 = the default (MultiIndexHashing.defaultSubstrings). */
    @Param({"0"})
    int substrings;

    private BinaryCodes database;
    private BinaryCodes queries;
    private MultiIndexHashing index;
    private LinearScan scan;

    @Setup(Level.Trial)
    public void setup() {
        BinaryCodes[] dbAndQueries = MultiIndexBenchmark.databaseAndQueries(codes);
        database = dbAndQueries[0];
        queries = dbAndQueries[1];
        index = substrings == 0 ? new MultiIndexHashing(database) : new MultiIndexHashing(database, substrings);
        scan = new LinearScan(database);
        BinaryCodes check = queries.select(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        Neighbors[] fast = index.knnBatch(check, K, threads);
        Neighbors[] expected = scan.knnBatch(check, K, threads);
        for (int q = 0; q < fast.length; q++) {
            if (!expected[q].equals(fast[q])) {
                throw new IllegalStateException("MultiIndexKnnBenchmark: multi-index k-NN disagrees with the "
                        + "linear scan on query " + q + ": " + fast[q] + " vs " + expected[q]);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(MultiIndexBenchmark.QUERIES)
    public Neighbors[] knn() {
        return index.knnBatch(queries, K, threads);
    }

    @Benchmark
    @OperationsPerInvocation(MultiIndexBenchmark.QUERIES)
    public Neighbors[] scanKnn() {
        return scan.knnBatch(queries, K, threads);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public MultiIndexHashing build() {
        return substrings == 0 ? new MultiIndexHashing(database) : new MultiIndexHashing(database, substrings);
    }
}
