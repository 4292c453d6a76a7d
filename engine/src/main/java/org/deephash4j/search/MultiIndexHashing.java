package org.deephash4j.search;

import java.util.Arrays;

/**
 * Exact Hamming search in sub-linear time for small radii: multi-index hashing (Norouzi, Punjani, Fleet,
 * "Fast Exact Search in Hamming Space with Multi-Index Hashing", CVPR 2012 / TPAMI 2014).
 *
 * <p>Each code is cut into m disjoint contiguous substrings (lengths differ by at most one, each at most
 * 32 bits) and every substring gets a hash table from its value to the rows that have it. Pigeonhole
 * (Norouzi et al., Proposition 1): if d_H(q, b) <= r = a*m + c with 0 <= c < m, then some substring s <= c has
 * d_s <= a, or some substring s > c has d_s <= a - 1. So a radius-r search probes, in substrings 0..c, every
 * key within distance a of the query's substring, and in the others every key within a - 1; each candidate is
 * checked on the full code. Candidates are collected once (a bitset), and the answer is sorted by
 * (distance, id): it equals {@link LinearScan}'s exactly, with distance <= r inclusive.
 *
 * <p>k-NN grows r = 0, 1, 2, ...: step r adds the shell at distance exactly a = r / m of substring c = r % m;
 * after step r every code within r is a candidate, so once k candidates lie within r the k nearest are known.
 * When the probes and candidates of a query would exceed half a linear scan (large k, random codes of many
 * bits), that query finishes with a scan of the database, so the answer stays exact and never much slower
 * than {@link LinearScan}.
 *
 * <p>The default m is round(bits / log2 n) (Norouzi et al.'s choice), at least ceil(bits / 32).
 * Instances are immutable and safe for concurrent readers.
 */
public final class MultiIndexHashing {
    private final BinaryCodes database;
    private final int substrings;
    private final int[] substringStart;   // [m + 1], bit offsets
    private final SubstringTable[] tables;
    private final boolean fallback;        // false only in tests, to prove the probing path alone is exact

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
        this.tables = new SubstringTable[substrings];
        int n = database.size();
        int w = database.wordsPerCode();
        long[] data = database.data();
        long[] keys = new long[n];
        for (int s = 0; s < substrings; s++) {
            int lo = substringStart[s];
            int len = substringStart[s + 1] - lo;
            for (int i = 0; i < n; i++) keys[i] = extract(data, i * w, lo, len);
            tables[s] = SubstringTable.build(keys, len);
        }
    }

    /** round(bits / log2 n), clamped to [ceil(bits / 32), bits]. */
    public static int defaultSubstrings(int bits, int n) {
        double log2n = Math.log(Math.max(n, 2)) / Math.log(2);
        int m = (int) Math.round(bits / log2n);
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

    /** One worker's buffers. */
    private final class Scratch {
        final int bits = database.bits();
        final int words = database.wordsPerCode();
        final long[] data = database.data();
        final long[] seen = new long[(database.size() + 63) >>> 6];
        final int[] hist = new int[bits + 1];
        int[] candRows = new int[256];
        int[] candDists = new int[256];
        int count;
        long work;          // probes + candidates of the current query

        private void reset() {
            for (int c = 0; c < count; c++) seen[candRows[c] >>> 6] = 0;
            count = 0;
            work = 0;
            Arrays.fill(hist, 0);
        }

        Neighbors radius(long[] q, int qOff, int radius) {
            reset();
            int r = Math.min(radius, bits);
            int a = r / substrings;
            int c = r % substrings;
            long probes = 0;
            for (int s = 0; s < substrings; s++) {
                int len = substringStart[s + 1] - substringStart[s];
                for (int shell = 0; shell <= (s <= c ? a : a - 1); shell++) probes += shellSize(len, shell);
            }
            if (fallback && probes > database.size() / 2) return scanAll(q, qOff, r, Integer.MAX_VALUE);
            for (int s = 0; s < substrings; s++) {
                int top = s <= c ? a : a - 1;
                for (int shell = 0; shell <= top; shell++) probeShell(q, qOff, s, shell);
            }
            int kept = keepWithin(r);
            Ranking.sort(candRows, candDists, kept, database, false);
            return Neighbors.of(database, candRows, candDists, kept);
        }

        Neighbors knn(long[] q, int qOff, int k) {
            reset();
            int n = database.size();
            int want = Math.min(k, n);
            long budget = fallback ? n / 2 : Long.MAX_VALUE;
            int within = 0;                 // candidates at distance <= r
            for (int r = 0; r <= bits; r++) {
                int s = r % substrings;
                int a = r / substrings;
                int len = substringStart[s + 1] - substringStart[s];
                if (work + shellSize(len, a) > budget) {
                    reset();
                    return scanAll(q, qOff, bits, want);
                }
                probeShell(q, qOff, s, a);
                within += hist[r];
                if (within >= want) break;
            }
            int r = 0;                      // the smallest r with want candidates within it
            int cum = hist[0];
            while (cum < want && r < bits) cum += hist[++r];
            int kept = keepWithin(r);
            Ranking.sort(candRows, candDists, kept, database, false);
            return Neighbors.of(database, candRows, candDists, Math.min(want, kept));
        }

        /** Clears the seen bits, keeps the candidates within distance r at the front; returns their count. */
        private int keepWithin(int r) {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                seen[candRows[i] >>> 6] = 0;
                if (candDists[i] <= r) {
                    candRows[kept] = candRows[i];
                    candDists[kept++] = candDists[i];
                }
            }
            count = 0;
            return kept;
        }

        /** Adds every row whose substring s is at distance exactly {@code a} from the query's. */
        private void probeShell(long[] q, int qOff, int s, int a) {
            int lo = substringStart[s];
            int len = substringStart[s + 1] - lo;
            if (a < 0 || a > len) return;
            long key = extract(q, qOff, lo, len);
            SubstringTable table = tables[s];
            int[] rows = table.rows();
            long limit = 1L << len;
            // Gosper's hack: every len-bit mask with exactly a bits set, in increasing order.
            for (long flip = (1L << a) - 1; flip < limit; ) {
                work++;
                int b = table.bucket(key ^ flip);
                if (b >= 0) {
                    for (int j = table.start(b), end = table.end(b); j < end; j++) add(q, qOff, rows[j]);
                }
                if (flip == 0) break;
                long low = flip & -flip;
                long ripple = flip + low;
                flip = (((ripple ^ flip) >>> 2) / low) | ripple;
            }
        }

        private void add(long[] q, int qOff, int row) {
            long bit = 1L << row;
            if ((seen[row >>> 6] & bit) != 0) return;
            seen[row >>> 6] |= bit;
            work++;
            int d;
            if (words == 1) {
                d = Long.bitCount(q[qOff] ^ data[row]);
            } else {
                d = ReferenceHamming.distance(q, qOff, data, row * words, words);
            }
            if (count == candRows.length) {
                candRows = Arrays.copyOf(candRows, count * 2);
                candDists = Arrays.copyOf(candDists, count * 2);
            }
            candRows[count] = row;
            candDists[count++] = d;
            hist[d]++;
        }

        /** The fallback: a scan of every row, keeping distance <= maxDistance, the first {@code limit} by rank. */
        private Neighbors scanAll(long[] q, int qOff, int maxDistance, int limit) {
            int n = database.size();
            int[] rows = new int[n];
            int[] dists = new int[n];
            int c = 0;
            for (int i = 0; i < n; i++) {
                int d = ReferenceHamming.distance(q, qOff, data, i * words, words);
                if (d <= maxDistance) {
                    rows[c] = i;
                    dists[c++] = d;
                }
            }
            Ranking.sort(rows, dists, c, database, true);
            return Neighbors.of(database, rows, dists, Math.min(c, limit));
        }
    }
}
