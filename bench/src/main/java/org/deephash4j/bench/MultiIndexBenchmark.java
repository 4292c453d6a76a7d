package org.deephash4j.bench;

import java.util.SplittableRandom;
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
 * Radius search (distance <= radius) over 1,000,000 codes of 64 bits, random or clustered
 * ({@link BenchCodes}), 1,000 queries per invocation on {@code threads} workers (2, as the faiss figures):
 * {@code radius} by multi-index hashing (default substrings: 3 x 21-22 bits for 1M codes), {@code scanRadius} by
 * the linear scan, for the ratio between them. One op = one query: the scores are queries per second.
 * faiss 1.7.3 IndexBinaryMultiHash 4x16 radius 2 (its range_search with d < 3): about 22,000 q/s clustered,
 * 177,000 q/s random.
 *
 * <p>Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar MultiIndexBenchmark}
 * (only multi-index hashing: {@code MultiIndexBenchmark.radius$}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class MultiIndexBenchmark {
    static final int N = 1_000_000;
    static final int BITS = 64;
    static final int QUERIES = 1000;

    @Param({"random", "clustered"})
    String codes;

    @Param({"0", "1", "2", "3"})
    int radius;

    @Param({"2"})
    int threads;

    /** Substrings of the multi-index; 0 = the default (MultiIndexHashing.defaultSubstrings). */
    @Param({"0"})
    int substrings;

    private MultiIndexHashing index;
    private LinearScan scan;
    private BinaryCodes queries;

    @Setup(Level.Trial)
    public void setup() {
        BinaryCodes[] dbAndQueries = databaseAndQueries(codes);
        queries = dbAndQueries[1];
        index = substrings == 0 ? new MultiIndexHashing(dbAndQueries[0])
                : new MultiIndexHashing(dbAndQueries[0], substrings);
        scan = new LinearScan(dbAndQueries[0]);
        // Verify before timing: multi-index answers equal the linear scan's on a subset of the queries.
        BinaryCodes check = queries.select(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        Neighbors[] fast = index.radiusBatch(check, radius, threads);
        Neighbors[] expected = scan.radiusBatch(check, radius, threads);
        long results = 0;
        for (int q = 0; q < fast.length; q++) {
            if (!expected[q].equals(fast[q])) {
                throw new IllegalStateException("MultiIndexBenchmark: multi-index radius " + radius
                        + " disagrees with the linear scan on query " + q + ": " + fast[q] + " vs " + expected[q]);
            }
            results += fast[q].size();
        }
        System.out.printf("%n%s codes, radius %d: %.1f results per query (first %d queries), %d substrings%n",
                codes, radius, (double) results / fast.length, fast.length, index.substrings());
    }

    /** The fixed-seed database (1M x 64 bits) and 1,000 queries of the given kind. */
    static BinaryCodes[] databaseAndQueries(String codes) {
        SplittableRandom rnd = new SplittableRandom(20261125L);
        return switch (codes) {
            case "random" -> new BinaryCodes[] {BenchCodes.random(N, BITS, rnd), BenchCodes.random(QUERIES, BITS, rnd)};
            case "clustered" -> {
                long[] centres = BenchCodes.centres(BITS, rnd);
                yield new BinaryCodes[] {BenchCodes.clustered(N, BITS, centres, rnd),
                        BenchCodes.clustered(QUERIES, BITS, centres, rnd)};
            }
            default -> throw new IllegalArgumentException("codes = " + codes + ", expected random or clustered");
        };
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public Neighbors[] radius() {
        return index.radiusBatch(queries, radius, threads);
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public Neighbors[] scanRadius() {
        return scan.radiusBatch(queries, radius, threads);
    }
}
