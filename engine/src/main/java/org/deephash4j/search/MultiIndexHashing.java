package org.deephash4j.search;

import java.util.Arrays;

/**
 * Exact Hamming search in sub-linear time for small radii: multi-index hashing (Norouzi, Punjani, Fleet,
 * "Fast Exact Search in Hamming Space with Multi-Index Hashing", CVPR 2012 / TPAMI 2014).
 *
 * <p>Each code is cut into m disjoint contiguous substrings (lengths differ by at most one, each at most
 * 32 bits) and every substring gets a hash table from its value to the rows that have it. Pigeonhole
 * (Norouzi et al., Proposition 1): if d_H(q, b) &lt;= r = a*m + c with 0 &lt;= c &lt; m, then some substring s &lt;= c has
 * d_s &lt;= a, or some substring s &gt; c has d_s &lt;= a - 1. So a radius-r search probes, in substrings 0..c, every
 * key within distance a of the query's substring, and in the others every key within a - 1; each candidate is
 * checked on the full code. A code is taken only at the first probe that reaches it (see {@code Scratch}),
 * and the answer is sorted by (distance, id): it equals {@link LinearScan}'s exactly, with distance &lt;= r inclusive.
 *
 * <p>k-NN grows r = 0, 1, 2, ...: step r adds the shell at distance exactly a = r / m of substring c = r % m;
 * after step r every code within r is a candidate, so once k candidates lie within r the k nearest are known.
 * When the probes and candidates of a query would cost more than a linear scan (large k or radius on
 * random codes), that query is answered by {@link LinearScan} instead, so the answer stays exact and never
 * much slower than the scan.
 *
 * <p>The default m is ceil(bits / log2 n) ({@link #defaultSubstrings}).
 * Instances are immutable and safe for concurrent readers.
 */
public final class MultiIndexHashing {
    private final BinaryCodes database;
    private final int substrings;
    private final int[] substringStart;   // [m + 1], bit offsets
    private final SubstringTable[] tables;
    private final long[][] masks;          // [m][words]: the bits of substring s within each word
    private final boolean fallback;        // false only in tests, to prove the probing path alone is exact
    private final LinearScan scan;         // the fallback for queries whose probes would cost more than a scan

    /** An index with the default number of substrings. */
    public MultiIndexHashing(BinaryCodes database) {
        this(database, defaultSubstrings(database.bits(), database.size()));
    }

    /** An index with {@code substrings} substrings (1..bits, each at most 32 bits long). */
    public MultiIndexHashing(BinaryCodes database, int substrings) {
        this(database, substrings, true);
    }

    MultiIndexHashing(BinaryCodes database, int substrings, boolean fallback) {
        this.fallback = fallback;
        int bits = database.bits();
        int min = (bits + 31) / 32;
        if (substrings < min || substrings > bits) {
            throw new IllegalArgumentException("MultiIndexHashing: " + substrings + " substrings for " + bits
                    + "-bit codes, expected " + min + ".." + bits + " (each substring at most 32 bits)");
        }
        this.database = database;
        this.substrings = substrings;
        this.substringStart = new int[substrings + 1];
        for (int s = 0; s < substrings; s++) {
            substringStart[s + 1] = substringStart[s] + bits / substrings + (s < bits % substrings ? 1 : 0);
        }
        this.masks = new long[substrings][database.wordsPerCode()];
        for (int s = 0; s < substrings; s++) {
            for (int j = substringStart[s]; j < substringStart[s + 1]; j++) masks[s][j >>> 6] |= 1L << (63 - (j & 63));
        }
        this.tables = new SubstringTable[substrings];
        int n = database.size();
        int w = database.wordsPerCode();
        long[] data = database.data();
        // One table per substring, built in parallel (each worker writes only its own table).
        SearchThreads.forEach(substrings, SearchThreads.defaultThreads(), () -> {
            long[] keys = new long[n];
            return s -> {
                int lo = substringStart[s];
                int len = substringStart[s + 1] - lo;
                for (int i = 0; i < n; i++) keys[i] = extract(data, i * w, lo, len);
                tables[s] = SubstringTable.build(keys, len, data, w);
            };
        });
        this.scan = new LinearScan(database);
    }

    /**
     * ceil(bits / log2 n), clamped to [ceil(bits / 32), bits]: Norouzi et al. suggest m = bits / log2 n; rounding
     * up gives shorter substrings, whose direct-addressed tables stay in cache (1M codes of 64 bits: 4 x 16 bits,
     * 256 KiB of offsets per table, as faiss's IndexBinaryMultiHash 4x16).
     */
    public static int defaultSubstrings(int bits, int n) {
        double log2n = Math.log(Math.max(n, 2)) / Math.log(2);
        int m = (int) Math.ceil(bits / log2n - 1e-9);
        return Math.min(bits, Math.max((bits + 31) / 32, m));
    }

    /** Bits [lo, lo + len) of the code at {@code data[off..]} as a number (bit lo most significant). */
    static long extract(long[] data, int off, int lo, int len) {
        int w = lo >>> 6;
        int shift = lo & 63;
        long v = data[off + w] << shift;
        if (shift + len > 64) v |= data[off + w + 1] >>> (64 - shift);
        return v >>> (64 - len);
    }

    public BinaryCodes codes() {
        return database;
    }

    public int substrings() {
        return substrings;
    }

    /** All codes within distance {@code radius} (inclusive) of query row {@code row}, by (distance, id). */
    public Neighbors radius(BinaryCodes queries, int row, int radius) {
        check("radius", queries);
        checkRadius(radius);
        return new Scratch().radius(queries.data(), row * queries.wordsPerCode(), radius);
    }

    /** Radius search of every query row on {@code threads} workers; the answer does not depend on threads. */
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

    /** Radius search of every query row on all available processors. */
    public Neighbors[] radiusBatch(BinaryCodes queries, int radius) {
        return radiusBatch(queries, radius, SearchThreads.defaultThreads());
    }

    /** The k nearest codes to query row {@code row}, by (distance, id); min(k, n) of them. */
    public Neighbors knn(BinaryCodes queries, int row, int k) {
        check("knn", queries);
        checkK(k);
        return new Scratch().knn(queries.data(), row * queries.wordsPerCode(), k);
    }

    /** k-NN of every query row on {@code threads} workers. */
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

    /** k-NN of every query row on all available processors. */
    public Neighbors[] knnBatch(BinaryCodes queries, int k) {
        return knnBatch(queries, k, SearchThreads.defaultThreads());
    }

    private void check(String op, BinaryCodes queries) {
        database.requireSameBits("MultiIndexHashing." + op, queries);
    }

    private static void checkK(int k) {
        if (k < 1) throw new IllegalArgumentException("MultiIndexHashing.knn: k = " + k + ", expected >= 1");
    }

    private static void checkRadius(int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("MultiIndexHashing.radius: radius = " + radius + ", expected >= 0");
        }
    }

    /** Cost of one probe in candidate checks (see Scratch.budget). */
    private static final int PROBE_COST = 16;

    /** Number of keys at distance exactly a in an len-bit substring: C(len, a), saturated. */
    private static long shellSize(int len, int a) {
        if (a < 0 || a > len) return 0;
        long c = 1;
        for (int i = 0; i < a; i++) {
            c = c * (len - i) / (i + 1);
            if (c > Integer.MAX_VALUE) return Integer.MAX_VALUE;
        }
        return c;
    }

    /**
     * One worker's buffers. Probing is organised in steps t = 0, 1, 2, ...: step t visits the keys at distance
     * exactly a = t / m from the query's substring s = t % m. A code b reaches step t iff d_s(q, b) = a, so it is
     * first reached at step first(b) = min over s of (d_s(q, b) * m + s), and it is taken only there: no set of
     * seen rows is needed, and every bucket is read in order (codes are stored in bucket order). The full
     * distance is the sum of the substring distances. Steps 0..r reach every code within r (class javadoc).
     */
    private final class Scratch {
        final int bits = database.bits();
        final int words = database.wordsPerCode();
        final int[] hist = new int[bits + 1];
        final long[] x = new long[words];
        final long[] masks1 = new long[substrings];    // masks[s][0], for one-word codes
        int[] candRows = new int[256];
        int[] candDists = new int[256];
        int count;
        long work;          // probes + candidates of the current query

        /**
         * Work allowed before a query goes to the scan, in units of one candidate check (a few ns, sequential);
         * a probe costs {@link #PROBE_COST} units (a table lookup, often a cache miss). A vector scan costs about
         * 0.15 ns per code and a unit about 10 ns, so the break-even is near n / 64 units; stopping at n / 128
         * bounds the work wasted on a query that falls back to half a scan.
         */
        private long budget() {
            return fallback ? Math.max(64, database.size() / 128) : Long.MAX_VALUE;
        }

        Scratch() {
            for (int s = 0; s < substrings; s++) masks1[s] = masks[s][0];
        }

        private void reset() {
            count = 0;
            work = 0;
            Arrays.fill(hist, 0);
        }

        /** Probes of steps 0..r. */
        private long probesUpTo(int r) {
            long probes = 0;
            for (int t = 0; t <= r; t++) {
                int s = t % substrings;
                probes += shellSize(substringStart[s + 1] - substringStart[s], t / substrings);
            }
            return probes;
        }

        Neighbors radius(long[] q, int qOff, int radius) {
            reset();
            int r = Math.min(radius, bits);
            if (fallback && PROBE_COST * probesUpTo(r) > budget()) return scan.radiusOf(q, qOff, r);
            for (int t = 0; t <= r; t++) probeStep(q, qOff, t, r);
            Ranking.sort(candRows, candDists, count, database, false);
            return Neighbors.of(database, candRows, candDists, count);
        }

        Neighbors knn(long[] q, int qOff, int k) {
            reset();
            int n = database.size();
            int want = Math.min(k, n);
            long budget = budget();
            if (fallback && exactMatches(q, qOff) < want) {
                // Fewer than k codes share even one substring with the query: the k-th neighbour is far (random
                // codes), where probing costs more than the vector scan. Either way the answer is the same.
                return scan.knnOf(q, qOff, want);
            }
            int within = 0;                 // candidates at distance <= t
            for (int t = 0; t <= bits; t++) {
                int s = t % substrings;
                if (work + PROBE_COST * shellSize(substringStart[s + 1] - substringStart[s], t / substrings)
                        > budget) {
                    return scan.knnOf(q, qOff, want);
                }
                probeStep(q, qOff, t, bits);
                // Codes first reached after step t are farther than t, so hist[0..t] is final here.
                within += hist[t];
                if (within >= want) break;
            }
            int r = 0;                      // the smallest r with want candidates within it
            int cum = hist[0];
            while (cum < want && r < bits) cum += hist[++r];
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (candDists[i] <= r) {
                    candRows[kept] = candRows[i];
                    candDists[kept++] = candDists[i];
                }
            }
            Ranking.sort(candRows, candDists, kept, database, false);
            return Neighbors.of(database, candRows, candDists, Math.min(want, kept));
        }

        /** Number of (substring, code) pairs that match the query's substring exactly. */
        private long exactMatches(long[] q, int qOff) {
            long total = 0;
            for (int s = 0; s < substrings; s++) {
                int lo = substringStart[s];
                int b = tables[s].bucket(extract(q, qOff, lo, substringStart[s + 1] - lo));
                if (b >= 0) total += tables[s].end(b) - tables[s].start(b);
            }
            return total;
        }

        /** Step t: every code first reached here with distance <= maxDistance becomes a candidate. */
        private void probeStep(long[] q, int qOff, int t, int maxDistance) {
            int s = t % substrings;
            int a = t / substrings;
            int lo = substringStart[s];
            int len = substringStart[s + 1] - lo;
            if (a > len) return;
            long key = extract(q, qOff, lo, len);
            SubstringTable table = tables[s];
            int[] rows = table.rows();
            long[] codes = table.codes();
            long limit = 1L << len;
            // Gosper's hack: every len-bit mask with exactly a bits set, in increasing order.
            for (long flip = (1L << a) - 1; flip < limit; ) {
                work += PROBE_COST;
                int b = table.bucket(key ^ flip);
                if (b >= 0) {
                    int end = table.end(b);
                    work += end - table.start(b);
                    if (words == 1) {
                        scanBucket1(q[qOff], rows, codes, table.start(b), end, t, maxDistance);
                    } else {
                        scanBucket(q, qOff, rows, codes, table.start(b), end, t, maxDistance);
                    }
                }
                if (flip == 0) break;
                long low = flip & -flip;
                long ripple = flip + low;
                flip = (((ripple ^ flip) >>> 2) / low) | ripple;
            }
        }

        /** One-word codes: the common case (up to 64 bits), substring distances by masked popcounts. */
        private void scanBucket1(long q, int[] rows, long[] codes, int from, int to, int t, int maxDistance) {
            int m = substrings;
            for (int j = from; j < to; j++) {
                long diff = q ^ codes[j];
                int d = Long.bitCount(diff);
                if (d > maxDistance) continue;
                int first = Integer.MAX_VALUE;
                for (int s = 0; s < m && first >= t; s++) {
                    first = Math.min(first, Long.bitCount(diff & masks1[s]) * m + s);
                }
                if (first == t) add(rows[j], d);
            }
        }

        private void scanBucket(long[] q, int qOff, int[] rows, long[] codes, int from, int to, int t,
                                int maxDistance) {
            int m = substrings;
            for (int j = from; j < to; j++) {
                int d = 0;
                for (int w = 0; w < words; w++) {
                    x[w] = q[qOff + w] ^ codes[j * words + w];
                    d += Long.bitCount(x[w]);
                }
                if (d > maxDistance) continue;
                int first = Integer.MAX_VALUE;
                for (int s = 0; s < m && first >= t; s++) {
                    int ds = 0;
                    for (int w = substringStart[s] >>> 6; w <= (substringStart[s + 1] - 1) >>> 6; w++) {
                        ds += Long.bitCount(x[w] & masks[s][w]);
                    }
                    first = Math.min(first, ds * m + s);
                }
                if (first == t) add(rows[j], d);
            }
        }

        private void add(int row, int d) {
            if (count == candRows.length) {
                candRows = Arrays.copyOf(candRows, count * 2);
                candDists = Arrays.copyOf(candDists, count * 2);
            }
            candRows[count] = row;
            candDists[count++] = d;
            hist[d]++;
        }
    }
}
