package org.deephash4j.search;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Multi-index hashing over tables held in {@link MemorySegment}s, so that the tables are built straight into a
 * memory-mapped file and searched from it without being loaded: the algorithm of {@link MultiIndexHashing}
 * (Norouzi, Punjani, Fleet, CVPR 2012), one search step at a time, for callers that search several segments at
 * once (the index package runs step t on every segment before step t + 1, so that k-NN stops across segments).
 *
 * <p>Each code of the segment is cut into m substrings (lengths differ by at most one, each at most 32 bits;
 * the cut of {@link MultiIndexHashing}). Table s holds, in CSR form, the rows grouped by the value of substring s:
 * <pre>
 * offsets  int32[buckets + 1]    bucket b holds entries [offsets[b], offsets[b + 1]), rows ascending inside it
 * keys     int64[buckets]        hashed tables only: the key of each slot (linear probing), -1 for an empty slot
 * rows     int32[n]              the segment row of each entry
 * codes    int64[n * words]      the entry's code, row-major, so a bucket is read sequentially
 * </pre>
 * A table is direct-addressed (bucket = key) when 2^len &lt;= max(1024, 4n) and len &lt;= 30; otherwise its keys are
 * hashed into a power of two >= 2n slots (at most 2^30). All integers are little-endian ({@link #INT},
 * {@link SegmentHammingKernels#WORD}).
 *
 * <p>Step t visits, in substring s = t % m, every key at distance exactly a = t / m from the query's substring; a
 * code b is reported at its first step min over s of (d_s(q, b) * m + s) only, so each code is reported once, and
 * steps 0..r together report every code within distance r (pigeonhole, Norouzi et al. Proposition 1).
 * Instances are immutable; a {@link Prober} (one per thread) holds the scratch state.
 */
public final class MappedMultiIndex {
    /** Little-endian int32, as the index files store offsets and rows. */
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong WORD = SegmentHammingKernels.WORD;
    private static final int MAX_DIRECT_BITS = 30;
    private static final long EMPTY = -1L;

    /** The shape of table s: substring bits [start, start + length), direct or hashed, number of buckets. */
    public record TableShape(int start, int length, boolean direct, int buckets) {
        public long offsetsBytes() {
            return 4L * (buckets + 1L);
        }

        public long keysBytes() {
            return direct ? 0 : 8L * buckets;
        }

        public static long rowsBytes(int n) {
            return 4L * n;
        }

        public static long codesBytes(int n, int words) {
            return 8L * n * words;
        }
    }

    /** The memory of one table: each segment exactly as long as its {@link TableShape} says (keys empty if direct). */
    public record Table(TableShape shape, MemorySegment offsets, MemorySegment keys, MemorySegment rows,
                        MemorySegment codes) {
    }

    /** Receives the codes a step reports: a segment row and its full Hamming distance to the query. */
    @FunctionalInterface
    public interface CandidateSink {
        void accept(int row, int distance);
    }

    private final int bits;
    private final int words;
    private final int n;
    private final int substrings;
    private final Table[] tables;
    private final int[] substringStart;   // [m + 1]
    private final long[][] masks;          // [m][words]: the bits of substring s within each word

    /**
     * Wraps built tables.
     *
     * @throws IllegalArgumentException if the tables do not have the shapes and sizes {@link #shapes} gives for
     *                                  (bits, n, m), or a table's offsets are not a valid CSR (checked here: a
     *                                  mapped file is validated before it is searched)
     */
    public MappedMultiIndex(int bits, int n, Table[] tables) {
        this.bits = bits;
        this.words = BinaryCodes.wordsFor(bits);
        this.n = n;
        this.substrings = tables.length;
        TableShape[] expected = shapes(bits, n, substrings);
        this.tables = tables.clone();
        this.substringStart = new int[substrings + 1];
        for (int s = 0; s < substrings; s++) {
            TableShape shape = tables[s].shape();
            if (!shape.equals(expected[s])) {
                throw new IllegalArgumentException("table " + s + " has shape " + shape + ", expected " + expected[s]
                        + " for " + n + " codes of " + bits + " bits in " + substrings + " substrings");
            }
            checkSize("offsets", s, tables[s].offsets(), shape.offsetsBytes());
            checkSize("keys", s, tables[s].keys(), shape.keysBytes());
            checkSize("rows", s, tables[s].rows(), TableShape.rowsBytes(n));
            checkSize("codes", s, tables[s].codes(), TableShape.codesBytes(n, words));
            checkOffsets(s, tables[s]);
            substringStart[s + 1] = shape.start() + shape.length();
        }
        this.masks = new long[substrings][words];
        for (int s = 0; s < substrings; s++) {
            for (int j = substringStart[s]; j < substringStart[s + 1]; j++) masks[s][j >>> 6] |= 1L << (63 - (j & 63));
        }
    }

    private static void checkSize(String what, int s, MemorySegment segment, long bytes) {
        if (segment.byteSize() != bytes) {
            throw new IllegalArgumentException("table " + s + " " + what + ": " + segment.byteSize() + " bytes, expected "
                    + bytes);
        }
    }

    /** offsets[0] = 0, non-decreasing, offsets[buckets] = n: then every bucket read stays inside rows and codes. */
    private void checkOffsets(int s, Table t) {
        int buckets = t.shape().buckets();
        int previous = 0;
        for (int b = 0; b <= buckets; b++) {
            int o = t.offsets().get(INT, 4L * b);
            if (o < previous || o > n || (b == 0 && o != 0) || (b == buckets && o != n)) {
                throw new IllegalArgumentException("table " + s + " offsets[" + b + "] = " + o + " after " + previous
                        + " (expected non-decreasing from 0 to " + n + ")");
            }
            previous = o;
        }
    }

    /**
     * The table shapes for n codes of {@code bits} bits in {@code substrings} substrings.
     *
     * @throws IllegalArgumentException unless ceil(bits / 32) &lt;= substrings &lt;= bits and 0 &lt;= n
     */
    public static TableShape[] shapes(int bits, int n, int substrings) {
        int min = (bits + 31) / 32;
        if (bits < 1 || substrings < min || substrings > bits || n < 0) {
            throw new IllegalArgumentException("MappedMultiIndex: " + substrings + " substrings for " + n + " codes of "
                    + bits + " bits, expected " + min + ".." + bits + " substrings (each at most 32 bits)");
        }
        TableShape[] shapes = new TableShape[substrings];
        int start = 0;
        for (int s = 0; s < substrings; s++) {
            int len = bits / substrings + (s < bits % substrings ? 1 : 0);
            boolean direct = len <= MAX_DIRECT_BITS && (1L << len) <= Math.max(1024L, 4L * n);
            int buckets = direct ? 1 << len
                    : (int) Math.min(1L << 30, Long.highestOneBit(Math.max(2L, 2L * n - 1)) * 2);
            shapes[s] = new TableShape(start, len, direct, buckets);
            start += len;
        }
        return shapes;
    }

    /** Bits [lo, lo + len) of row i of the word-major codes, as a number (bit lo most significant). */
    static long extract(MemorySegment columns, long stride, long i, int lo, int len) {
        int w = lo >>> 6;
        int shift = lo & 63;
        long v = columns.get(WORD, 8 * (w * stride + i)) << shift;
        if (shift + len > 64) v |= columns.get(WORD, 8 * ((w + 1) * stride + i)) >>> (64 - shift);
        return v >>> (64 - len);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * Fills {@code tables} (writable, zero or not) from n codes of {@code bits} bits, word-major in {@code columns}
     * with row stride {@code stride}: two passes over the codes per table (count, then place in reverse so rows stay
     * ascending inside a bucket) and no heap beyond a few words, so a billion-code segment builds inside a mapped
     * file. Tables are built in parallel on {@code threads} workers (each writes only its own table).
     */
    public static void build(Table[] tables, int bits, int n, MemorySegment columns, long stride, int threads) {
        int words = BinaryCodes.wordsFor(bits);
        TableShape[] expected = shapes(bits, n, tables.length);
        for (int s = 0; s < tables.length; s++) {
            if (!tables[s].shape().equals(expected[s])) {
                throw new IllegalArgumentException("MappedMultiIndex.build: table " + s + " shape " + tables[s].shape()
                        + ", expected " + expected[s]);
            }
        }
        SearchThreads.forEach(tables.length, threads, () -> s -> buildTable(tables[s], n, words, columns, stride));
    }

    private static void buildTable(Table t, int n, int words, MemorySegment columns, long stride) {
        TableShape shape = t.shape();
        int buckets = shape.buckets();
        int mask = buckets - 1;
        MemorySegment offsets = t.offsets();
        MemorySegment keys = t.keys();
        offsets.fill((byte) 0);
        if (!shape.direct()) {
            for (long b = 0; b < buckets; b++) keys.set(WORD, 8 * b, EMPTY);
        }
        // Pass 1: counts per bucket in offsets[b] (hashed keys are inserted by linear probing here).
        for (int i = 0; i < n; i++) {
            long key = extract(columns, stride, i, shape.start(), shape.length());
            int b;
            if (shape.direct()) {
                b = (int) key;
            } else {
                b = hash(key) & mask;
                long k;
                while ((k = keys.get(WORD, 8L * b)) != key && k != EMPTY) b = (b + 1) & mask;
                if (k == EMPTY) keys.set(WORD, 8L * b, key);
            }
            offsets.set(INT, 4L * b, offsets.get(INT, 4L * b) + 1);
        }
        // Inclusive prefix sums: offsets[b] = end of bucket b; offsets[buckets] = n.
        int sum = 0;
        for (int b = 0; b < buckets; b++) {
            sum += offsets.get(INT, 4L * b);
            offsets.set(INT, 4L * b, sum);
        }
        offsets.set(INT, 4L * buckets, n);
        // Pass 2, rows in reverse: each takes the last free entry of its bucket, so offsets[b] ends at its start.
        MemorySegment rows = t.rows();
        MemorySegment codes = t.codes();
        for (int i = n - 1; i >= 0; i--) {
            long key = extract(columns, stride, i, shape.start(), shape.length());
            int b = shape.direct() ? (int) key : slotOf(keys, mask, key);
            int pos = offsets.get(INT, 4L * b) - 1;
            offsets.set(INT, 4L * b, pos);
            rows.set(INT, 4L * pos, i);
            for (int w = 0; w < words; w++) {
                codes.set(WORD, 8L * ((long) pos * words + w), columns.get(WORD, 8 * (w * stride + i)));
            }
        }
    }

    /** The slot of a key that is present; -1 if absent (also after visiting every slot of a corrupted table). */
    private static int slotOf(MemorySegment keys, int mask, long key) {
        int b = hash(key) & mask;
        for (long visited = 0; visited <= mask; visited++) {
            long k = keys.get(WORD, 8L * b);
            if (k == key) return b;
            if (k == EMPTY) return -1;
            b = (b + 1) & mask;
        }
        return -1;
    }

    public int bits() {
        return bits;
    }

    public int size() {
        return n;
    }

    public int substrings() {
        return substrings;
    }

    /** The substring cut: substring s is bits [start(s), start(s + 1)). */
    public int start(int s) {
        return substringStart[s];
    }

    /** Number of keys step t probes: C(len_s, t / m) for s = t % m (saturated at Integer.MAX_VALUE). */
    public long probes(int t) {
        int s = t % substrings;
        return shellSize(substringStart[s + 1] - substringStart[s], t / substrings);
    }

    /** C(len, a): the keys at distance exactly a from a len-bit key, saturated. */
    static long shellSize(int len, int a) {
        if (a < 0 || a > len) return 0;
        long c = 1;
        for (int i = 0; i < a; i++) {
            c = c * (len - i) / (i + 1);
            if (c > Integer.MAX_VALUE) return Integer.MAX_VALUE;
        }
        return c;
    }

    /** A new prober (per-thread scratch). */
    public Prober prober() {
        return new Prober();
    }

    /** One thread's search state over this index. */
    public final class Prober {
        private final long[] x = new long[words];
        private final long[] masks1 = new long[substrings];   // masks[s][0], for one-word codes

        private Prober() {
            for (int s = 0; s < substrings; s++) masks1[s] = masks[s][0];
        }

        /** Number of (substring, code) pairs that equal the query's substring: the entries step 0..m-1 read. */
        public long exactMatches(long[] q, int qOff) {
            long total = 0;
            for (int s = 0; s < substrings; s++) {
                int lo = substringStart[s];
                int b = bucket(tables[s], MultiIndexHashing.extract(q, qOff, lo, substringStart[s + 1] - lo));
                if (b >= 0) total += end(tables[s], b) - begin(tables[s], b);
            }
            return total;
        }

        /**
         * Step t: reports to {@code sink} every code first reached at step t whose distance is &lt;= maxDistance.
         * Returns the number of entries read (the step's cost besides its {@link #probes} lookups).
         */
        public long step(long[] q, int qOff, int t, int maxDistance, CandidateSink sink) {
            int s = t % substrings;
            int a = t / substrings;
            int lo = substringStart[s];
            int len = substringStart[s + 1] - lo;
            if (a > len) return 0;
            long key = MultiIndexHashing.extract(q, qOff, lo, len);
            Table table = tables[s];
            long limit = 1L << len;
            long read = 0;
            // Gosper's hack: every len-bit mask with exactly a bits set, in increasing order.
            for (long flip = (1L << a) - 1; flip < limit; ) {
                int b = bucket(table, key ^ flip);
                if (b >= 0) {
                    int from = begin(table, b);
                    int to = end(table, b);
                    read += to - from;
                    if (words == 1) {
                        scanBucket1(q[qOff], table, from, to, t, maxDistance, sink);
                    } else {
                        scanBucket(q, qOff, table, from, to, t, maxDistance, sink);
                    }
                }
                if (flip == 0) break;
                long low = flip & -flip;
                long ripple = flip + low;
                flip = (((ripple ^ flip) >>> 2) / low) | ripple;
            }
            return read;
        }

        private void scanBucket1(long q, Table table, int from, int to, int t, int maxDistance, CandidateSink sink) {
            int m = substrings;
            MemorySegment codes = table.codes();
            MemorySegment rows = table.rows();
            for (int j = from; j < to; j++) {
                long diff = q ^ codes.get(WORD, 8L * j);
                int d = Long.bitCount(diff);
                if (d > maxDistance) continue;
                int first = Integer.MAX_VALUE;
                for (int s = 0; s < m && first >= t; s++) first = Math.min(first, Long.bitCount(diff & masks1[s]) * m + s);
                if (first == t) sink.accept(rows.get(INT, 4L * j), d);
            }
        }

        private void scanBucket(long[] q, int qOff, Table table, int from, int to, int t, int maxDistance,
                                CandidateSink sink) {
            int m = substrings;
            MemorySegment codes = table.codes();
            MemorySegment rows = table.rows();
            for (int j = from; j < to; j++) {
                int d = 0;
                for (int w = 0; w < words; w++) {
                    x[w] = q[qOff + w] ^ codes.get(WORD, 8L * ((long) j * words + w));
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
                if (first == t) sink.accept(rows.get(INT, 4L * j), d);
            }
        }
    }

    /** The bucket of {@code key} in a table, or -1 when no row has it. */
    private static int bucket(Table t, long key) {
        if (t.shape().direct()) return (int) key;
        return slotOf(t.keys(), t.shape().buckets() - 1, key);
    }

    private static int begin(Table t, int b) {
        return t.offsets().get(INT, 4L * b);
    }

    private static int end(Table t, int b) {
        return t.offsets().get(INT, 4L * (b + 1));
    }
}
