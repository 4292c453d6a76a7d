package org.deephash4j.search;

/**
 * One hash table of multi-index hashing: database rows grouped by the value of one substring of their code,
 * stored as buckets in one {@code int[] rows} array with {@code offsets} (CSR layout, rows ascending inside a
 * bucket). Short substrings are direct-addressed (bucket = key); longer ones use open addressing on the keys.
 */
final class SubstringTable {
    /** Direct addressing up to 2^24 buckets and at most 4 buckets per code; beyond that, hashing. */
    private static final int MAX_DIRECT_BITS = 24;

    private final int[] offsets;     // [buckets + 1]
    private final int[] rows;        // [n]
    private final long[] codes;      // [n * words]: the codes in bucket order, so a bucket is read sequentially
    private final long[] keys;       // open addressing slots; null when direct
    private final int mask;

    private SubstringTable(int[] offsets, int[] rows, long[] codes, long[] keys, int mask) {
        this.offsets = offsets;
        this.rows = rows;
        this.codes = codes;
        this.keys = keys;
        this.mask = mask;
    }

    /** Groups rows 0..n-1 by {@code keyOfRow[i]} (a {@code length}-bit value); data holds the codes row-major. */
    static SubstringTable build(long[] keyOfRow, int length, long[] data, int words) {
        int n = keyOfRow.length;
        boolean direct = length <= MAX_DIRECT_BITS && (1L << length) <= Math.max(1024L, 4L * n);
        long[] keys = null;
        int buckets;
        int mask;
        int[] bucketOfRow = new int[n];
        if (direct) {
            buckets = 1 << length;
            mask = buckets - 1;
            for (int i = 0; i < n; i++) bucketOfRow[i] = (int) keyOfRow[i];
        } else {
            buckets = Integer.highestOneBit(Math.max(2, 2 * n - 1)) * 2;   // power of two >= 2n: load <= 1/2
            mask = buckets - 1;
            keys = new long[buckets];
            boolean[] used = new boolean[buckets];
            for (int i = 0; i < n; i++) {
                int slot = hash(keyOfRow[i]) & mask;
                while (used[slot] && keys[slot] != keyOfRow[i]) slot = (slot + 1) & mask;
                used[slot] = true;
                keys[slot] = keyOfRow[i];
                bucketOfRow[i] = slot;
            }
            // An unused slot must never match a probe: mark it with a key no substring can have.
            for (int s = 0; s < buckets; s++) if (!used[s]) keys[s] = EMPTY;
        }
        int[] offsets = new int[buckets + 1];
        for (int b : bucketOfRow) offsets[b + 1]++;
        for (int b = 0; b < buckets; b++) offsets[b + 1] += offsets[b];
        int[] next = new int[buckets];
        System.arraycopy(offsets, 0, next, 0, buckets);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[next[bucketOfRow[i]]++] = i;
        long[] codes = new long[n * words];
        for (int j = 0; j < n; j++) System.arraycopy(data, rows[j] * words, codes, j * words, words);
        return new SubstringTable(offsets, rows, codes, keys, mask);
    }

    /** No substring key is negative (at most 32 bits are used), so -1 marks an empty slot. */
    private static final long EMPTY = -1L;

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The bucket holding {@code key}, or -1 when no row has it. */
    int bucket(long key) {
        if (keys == null) return (int) key;
        int slot = hash(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) return slot;
            if (k == EMPTY) return -1;
            slot = (slot + 1) & mask;
        }
    }

    int start(int bucket) {
        return offsets[bucket];
    }

    int end(int bucket) {
        return offsets[bucket + 1];
    }

    int[] rows() {
        return rows;
    }

    /** The codes in bucket order: entry j of {@link #rows()} has code {@code codes()[j * words, (j + 1) * words)}. */
    long[] codes() {
        return codes;
    }
}
