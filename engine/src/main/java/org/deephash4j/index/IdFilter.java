package org.deephash4j.index;

import java.util.Arrays;

/**
 * A set of ids a search is restricted to: only codes whose id is in the set can be answers. Held sorted, so
 * membership is a binary search and a small filter can be looked up code by code instead of scanning.
 */
public final class IdFilter {
    private final long[] ids;   // sorted, unique

    private IdFilter(long[] sortedUnique) {
        this.ids = sortedUnique;
    }

    /** The set of these ids (repeats are ignored). */
    public static IdFilter of(long... ids) {
        long[] s = ids.clone();
        Arrays.sort(s);
        int u = 0;
        for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[u++] = s[i];
        return new IdFilter(Arrays.copyOf(s, u));
    }

    public boolean contains(long id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    public int size() {
        return ids.length;
    }

    /** The ids, sorted (a copy). */
    public long[] ids() {
        return ids.clone();
    }

    /** The sorted ids, shared (the index package never writes them). */
    long[] sorted() {
        return ids;
    }

    @Override
    public String toString() {
        return "IdFilter[" + ids.length + " ids]";
    }
}
