package org.deephash4j.search;

import java.util.Arrays;

/**
 * Exact Hamming search by scanning every code: k nearest neighbours with deterministic ties (distance, then id)
 * and radius search (all codes with distance &lt;= r, the papers' convention; faiss's {@code range_search} keeps
 * distance &lt; r, so faiss radius r + 1 equals ours r).
 *
 * <p>k-NN does not keep a heap. Distances are integers 0..bits, so the scan keeps a bound tau: the k-th
 * smallest distance among the candidates so far. Rows are scanned in blocks by a {@link HammingKernels}
 * kernel that returns only rows with d &lt;= tau (d &lt; tau once k candidates are at distance &lt;= tau and ids follow
 * rows, since a later row loses a tie); after each block tau is recomputed from a histogram of candidate
 * distances and candidates beyond it are dropped. The survivors are ordered by a counting sort on distance.
 *
 * <p>The codes are held word-major ({@code columns[w][i]}) so a vector kernel loads one word of consecutive
 * rows. Instances are immutable and safe for concurrent readers; a batch of queries is spread over
 * {@link SearchThreads} and gives the same answer for any thread count.
 */
public final class LinearScan {
    /** Rows per kernel call: small enough for the candidate buffers to stay in L1/L2. */
    private static final int BLOCK = 4096;

    private final BinaryCodes database;
    private final long[][] columns;
    private final HammingKernels kernels;

    /** A scan with the best available kernels ({@link HammingKernels#best()}). */
    public LinearScan(BinaryCodes database) {
        this(database, HammingKernels.best());
    }

    public LinearScan(BinaryCodes database, HammingKernels kernels) {
        this.database = database;
        this.kernels = kernels;
        int words = database.wordsPerCode();
        int n = database.size();
        long[] data = database.data();
        columns = new long[words][n];
        for (int i = 0; i < n; i++) {
            for (int w = 0; w < words; w++) columns[w][i] = data[i * words + w];
        }
    }

    public BinaryCodes codes() {
        return database;
    }

    public HammingKernels kernels() {
        return kernels;
    }

    /** The k nearest database codes to {@code queries} row {@code row}; min(k, n) of them. */
    public Neighbors knn(BinaryCodes queries, int row, int k) {
        check("knn", queries);
        checkRow("knn", queries, row);
        checkK(k);
        return new Scratch().knn(queries.data(), row * queries.wordsPerCode(), k);
    }

    /** k-NN for every query row, on all available processors. */
    public Neighbors[] knnBatch(BinaryCodes queries, int k) {
        return knnBatch(queries, k, SearchThreads.defaultThreads());
    }

    /** k-NN for every query row on {@code threads} workers; the answer does not depend on {@code threads}. */
    public Neighbors[] knnBatch(BinaryCodes queries, int k, int threads) {
        check("knn", queries);
        checkK(k);
        Neighbors[] out = new Neighbors[queries.size()];
        long[] q = queries.data();
        int w = queries.wordsPerCode();
        SearchThreads.forEach(out.length, threads, () -> {
            Scratch s = new Scratch();
            return i -> out[i] = s.knn(q, i * w, k);
        });
        return out;
    }

    /** All database codes within Hamming distance {@code radius} (inclusive) of query row {@code row}. */
    public Neighbors radius(BinaryCodes queries, int row, int radius) {
        check("radius", queries);
        checkRow("radius", queries, row);
        checkRadius(radius);
        return new Scratch().radius(queries.data(), row * queries.wordsPerCode(), radius);
    }

    /** Radius search for every query row, on all available processors. */
    public Neighbors[] radiusBatch(BinaryCodes queries, int radius) {
        return radiusBatch(queries, radius, SearchThreads.defaultThreads());
    }

    /** Radius search for every query row on {@code threads} workers. */
    public Neighbors[] radiusBatch(BinaryCodes queries, int radius, int threads) {
        check("radius", queries);
        checkRadius(radius);
        Neighbors[] out = new Neighbors[queries.size()];
        long[] q = queries.data();
        int w = queries.wordsPerCode();
        SearchThreads.forEach(out.length, threads, () -> {
            Scratch s = new Scratch();
            return i -> out[i] = s.radius(q, i * w, radius);
        });
        return out;
    }

    /** k-NN of the query code at {@code query[qOff, qOff + wordsPerCode)} (for other searches' fallbacks). */
    Neighbors knnOf(long[] query, int qOff, int k) {
        return new Scratch().knn(query, qOff, k);
    }

    /** Radius search of the query code at {@code query[qOff, qOff + wordsPerCode)}. */
    Neighbors radiusOf(long[] query, int qOff, int radius) {
        return new Scratch().radius(query, qOff, radius);
    }

    /** Distances from query row {@code row} to every database code: {@code out[i] = d_H(q, b_i)}, out.length >= n. */
    public void distances(BinaryCodes queries, int row, int[] out) {
        check("distances", queries);
        checkRow("distances", queries, row);
        if (out.length < database.size()) {
            throw new IllegalArgumentException("distances: out has " + out.length + " entries for "
                    + database.size() + " codes");
        }
        kernels.distances(out, queries.data(), row * queries.wordsPerCode(), columns, 0, database.size());
    }

    /** Counts of database codes at each distance 0..bits from query row {@code row}. */
    public int[] histogram(BinaryCodes queries, int row) {
        int[] d = new int[database.size()];
        distances(queries, row, d);
        int[] h = new int[database.bits() + 1];
        for (int x : d) h[x]++;
        return h;
    }

    private void check(String op, BinaryCodes queries) {
        database.requireSameBits("LinearScan." + op, queries);
    }

    private static void checkRow(String op, BinaryCodes queries, int row) {
        if (row < 0 || row >= queries.size()) {
            throw new IllegalArgumentException("LinearScan." + op + ": query row " + row + " is out of range; the queries hold "
                    + queries.size() + " codes (rows 0.." + (queries.size() - 1) + ")");
        }
    }

    private static void checkK(int k) {
        if (k < 1) throw new IllegalArgumentException("LinearScan.knn: k = " + k + ", expected >= 1");
    }

    private void checkRadius(int radius) {
        if (radius < 0) throw new IllegalArgumentException("LinearScan.radius: radius = " + radius + ", expected >= 0");
    }

    /** One worker's buffers, reused across its queries. */
    private final class Scratch {
        final int bits = database.bits();
        final int[] blockRows = new int[BLOCK];
        final int[] blockDists = new int[BLOCK];
        final int[] hist = new int[bits + 1];
        int[] candRows = new int[1024];
        int[] candDists = new int[1024];

        Neighbors knn(long[] q, int qOff, int k) {
            int n = database.size();
            int want = Math.min(k, n);
            Arrays.fill(hist, 0);
            int count = 0;
            int tau = bits;                       // k-th smallest candidate distance so far
            int bound = bits;                     // what the kernel accepts
            boolean ascending = database.idsAscending();
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                int c = kernels.scan(blockRows, blockDists, q, qOff, columns, from, to, bound);
                if (c == 0) continue;
                ensure(count + c);
                System.arraycopy(blockRows, 0, candRows, count, c);
                System.arraycopy(blockDists, 0, candDists, count, c);
                for (int j = 0; j < c; j++) hist[blockDists[j]]++;
                count += c;
                if (count < want) continue;
                int cum = 0;
                int t = 0;
                while ((cum += hist[t]) < want) t++;
                if (t < tau || count > 2 * want + BLOCK) {
                    tau = t;
                    count = compact(count, tau);
                }
                bound = ascending ? tau - 1 : tau;
            }
            Ranking.sort(candRows, candDists, count, database, true);
            return Neighbors.of(database, candRows, candDists, Math.min(want, count));
        }

        /** Drops candidates farther than tau, keeping row order. */
        private int compact(int count, int tau) {
            int kept = 0;
            for (int c = 0; c < count; c++) {
                if (candDists[c] <= tau) {
                    candRows[kept] = candRows[c];
                    candDists[kept++] = candDists[c];
                } else {
                    hist[candDists[c]]--;
                }
            }
            return kept;
        }

        Neighbors radius(long[] q, int qOff, int radius) {
            int n = database.size();
            int r = Math.min(radius, bits);
            int count = 0;
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                int c = kernels.scan(blockRows, blockDists, q, qOff, columns, from, to, r);
                if (c == 0) continue;
                ensure(count + c);
                System.arraycopy(blockRows, 0, candRows, count, c);
                System.arraycopy(blockDists, 0, candDists, count, c);
                count += c;
            }
            Ranking.sort(candRows, candDists, count, database, true);
            return Neighbors.of(database, candRows, candDists, count);
        }

        private void ensure(int capacity) {
            if (capacity > candRows.length) {
                int size = Math.max(capacity, candRows.length * 2);
                candRows = Arrays.copyOf(candRows, size);
                candDists = Arrays.copyOf(candDists, size);
            }
        }
    }
}
