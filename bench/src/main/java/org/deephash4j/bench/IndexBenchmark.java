package org.deephash4j.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.Hits;
import org.deephash4j.index.IndexSnapshot;
import org.deephash4j.index.SearchMethod;
import org.deephash4j.index.SearchOptions;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.MappedMultiIndex;
import org.deephash4j.search.MultiIndexHashing;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A memory-mapped {@link CodeIndex} of {@code n} clustered 64-bit codes on disk ({@link IndexCodes}: 100 million
 * by default, 1.6 GB of codes and ids plus 3.6 GB of multi-index tables):
 * <ul>
 *   <li>{@code open}: {@link CodeIndex#open} plus a snapshot and closing both (manifest read, segment and tables
 *       mapped, headers checked; the pages are in the page cache after the first run), in microseconds;</li>
 *   <li>{@code scanKnn100Single}: exact k = 100 by linear scan of the mapped codes ({@link SearchMethod#SCAN},
 *       Vector API), one query at a time, its rows split over 2 threads: every query reads the 800 MB of codes
 *       from memory once, so codes/s = score x n is to be set beside {@code bench/peers/scan_limit.c} (the
 *       machine's memory-bandwidth limit for codes that do not fit in cache);</li>
 *   <li>{@code scanKnn100}: the same for a batch of {@value #SCAN_QUERIES} queries, which the index scans in
 *       blocks (each thread reads a block of codes once for its 4 queries), so it can pass that limit;</li>
 *   <li>{@code mihRadius2}: exact radius <= 2 by multi-index hashing ({@link SearchMethod#MIH}; {@code auto} picks
 *       it too), 1,000 queries per invocation, 2 threads;</li>
 *   <li>{@code buildTables}: building the segment's multi-index tables ({@link MappedMultiIndex#build}, default
 *       substrings, into a mapped temporary file), one shot, in seconds.</li>
 * </ul>
 * Every search is checked in {@code @Setup} (the scan against multi-index k-NN and the multi-index radius against
 * the scan, on a few queries) before timing. With {@code -p folder=} empty the benchmark makes the index in a
 * temporary folder and deletes it at the end (check {@code df -h} first: about 5.2 GB); {@code -p folder=PATH}
 * uses an index made by {@link IndexCodes}, so that the faiss peer ({@code bench/peers/faiss_index.py}) reads the
 * same codes.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar IndexBenchmark}
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class IndexBenchmark {
    static final int SCAN_QUERIES = 8;

    @Param({"100000000"})
    int n;

    /** An index made by IndexCodes, or empty: make one in a temporary folder. */
    @Param({""})
    String folder;

    @Param({"2"})
    int threads;

    private Path path;
    private boolean temporary;
    private CodeIndex index;
    private IndexSnapshot snapshot;
    private BinaryCodes queries;
    private BinaryCodes scanQueries;
    private SearchOptions scan;
    private SearchOptions mih;
    private int next;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        if (folder.isEmpty()) {
            path = Files.createTempDirectory("deephash-index-bench-").resolve("index");
            temporary = true;
            double seconds = IndexCodes.make(path, n);
            System.out.printf("%nIndexBenchmark: made %,d codes with tables in %.1f s%n", n, seconds);
        } else {
            path = Path.of(folder);
        }
        index = CodeIndex.open(path);
        snapshot = index.snapshot();
        if (snapshot.size() != n) {
            throw new IllegalStateException("IndexBenchmark: " + path + " holds " + snapshot.size() + " codes, not " + n);
        }
        queries = IndexCodes.queries();
        scanQueries = queries.select(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        scan = SearchOptions.defaults().withMethod(SearchMethod.SCAN).withThreads(threads);
        mih = SearchOptions.defaults().withMethod(SearchMethod.MIH).withThreads(threads);
        // Check before timing: scan k-NN against multi-index k-NN, multi-index radius against the scan's.
        BinaryCodes check = queries.select(new int[] {0, 1, 2});
        Hits[] a = snapshot.knnBatch(check, 100, scan);
        Hits[] b = snapshot.knnBatch(check, 100, mih);
        Hits[] c = snapshot.radiusBatch(check, 2, mih);
        Hits[] d = snapshot.radiusBatch(check, 2, scan);
        for (int q = 0; q < check.size(); q++) {
            if (!a[q].equals(b[q]) || !c[q].equals(d[q])) {
                throw new IllegalStateException("IndexBenchmark: scan and multi-index disagree on query " + q);
            }
        }
        long all = 0;
        for (Hits h : snapshot.radiusBatch(queries, 2, mih)) all += h.size();
        System.out.printf("IndexBenchmark: radius 2 finds %d, %d, %d codes for queries 0, 1, 2 and %.1f per query over "
                + "all %d%n", c[0].size(), c[1].size(), c[2].size(), all / (double) queries.size(), queries.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        snapshot.close();
        index.close();
        if (temporary) {
            try (Stream<Path> files = Files.walk(path.getParent())) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long open() throws IOException {
        try (CodeIndex i = CodeIndex.open(path); IndexSnapshot s = i.snapshot()) {
            return s.size();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(SCAN_QUERIES)
    public Hits[] scanKnn100() {
        return snapshot.knnBatch(scanQueries, 100, scan);
    }

    /** One query at a time: both threads scan halves of the codes, so every query reads all of memory once. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public Hits scanKnn100Single() {
        next = (next + 1) % SCAN_QUERIES;
        return snapshot.knn(scanQueries, next, 100, scan);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(IndexCodes.QUERIES)
    public Hits[] mihRadius2() {
        return snapshot.radiusBatch(queries, 2, mih);
    }

    /** Builds the default tables of the segment's codes (mapped from its file) into a mapped temporary file. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long buildTables() throws IOException {
        int m = MultiIndexHashing.defaultSubstrings(64, n);
        MappedMultiIndex.TableShape[] shapes = MappedMultiIndex.shapes(64, n, m);
        long bytes = 0;
        for (MappedMultiIndex.TableShape s : shapes) {
            bytes += s.offsetsBytes() + s.keysBytes() + MappedMultiIndex.TableShape.rowsBytes(n)
                    + MappedMultiIndex.TableShape.codesBytes(n, 1) + 4 * 64;
        }
        Path tmp = Files.createTempFile(path.getParent(), "tables-", ".tmp");
        try (Arena arena = Arena.ofShared();
             FileChannel seg = FileChannel.open(path.resolve("seg-1.dhseg"), StandardOpenOption.READ);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // The segment's codes section starts at byte 128 (SegmentFile's layout), one word per 64-bit code.
            MemorySegment codes = seg.map(FileChannel.MapMode.READ_ONLY, 128, 8L * n, arena);
            MemorySegment file = out.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            MappedMultiIndex.Table[] tables = new MappedMultiIndex.Table[m];
            long at = 0;
            for (int s = 0; s < m; s++) {
                MappedMultiIndex.TableShape sh = shapes[s];
                MemorySegment offsets = file.asSlice(at, sh.offsetsBytes());
                at = (at + sh.offsetsBytes() + 63) & ~63L;
                MemorySegment keys = file.asSlice(at, sh.keysBytes());
                at = (at + sh.keysBytes() + 63) & ~63L;
                MemorySegment rows = file.asSlice(at, MappedMultiIndex.TableShape.rowsBytes(n));
                at = (at + MappedMultiIndex.TableShape.rowsBytes(n) + 63) & ~63L;
                MemorySegment codesOut = file.asSlice(at, MappedMultiIndex.TableShape.codesBytes(n, 1));
                at = (at + MappedMultiIndex.TableShape.codesBytes(n, 1) + 63) & ~63L;
                tables[s] = new MappedMultiIndex.Table(sh, offsets, keys, rows, codesOut);
            }
            MappedMultiIndex.build(tables, 64, n, codes, n, threads);
            file.force();
            return new MappedMultiIndex(64, n, tables).substrings();
        } finally {
            Files.delete(tmp);
        }
    }
}
