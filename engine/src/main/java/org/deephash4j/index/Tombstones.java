package org.deephash4j.index;

import java.util.Arrays;

/** The deleted rows of one segment: a bit per row (bit r of word r / 64 set = row r deleted). Immutable. */
final class Tombstones {
    static final Tombstones NONE = new Tombstones(0, new long[0], 0);

    private final int rows;
    private final long[] words;
    private final long deleted;

    Tombstones(int rows, long[] words, long deleted) {
        this.rows = rows;
        this.words = words;
        this.deleted = deleted;
    }

    static Tombstones none(int rows) {
        return new Tombstones(rows, new long[0], 0);   // no words: isDeleted is false past them
    }

    boolean isDeleted(int row) {
        int w = row >>> 6;
        return w < words.length && (words[w] & (1L << row)) != 0;
    }

    long deleted() {
        return deleted;
    }

    int rows() {
        return rows;
    }

    /** The words, shared (callers never write them). */
    long[] words() {
        return words;
    }

    /** These tombstones plus {@code newRows}; rows already deleted are counted once. */
    Tombstones plus(int segmentRows, int[] newRows, int count) {
        long[] w = Arrays.copyOf(words, (segmentRows + 63) >>> 6);
        long d = deleted;
        for (int i = 0; i < count; i++) {
            int r = newRows[i];
            long bit = 1L << r;
            if ((w[r >>> 6] & bit) == 0) {
                w[r >>> 6] |= bit;
                d++;
            }
        }
        return new Tombstones(segmentRows, w, d);
    }
}
