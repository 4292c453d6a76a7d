package org.deephash4j.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Part of one query's answer: neighbours in (distance, id) order, at most {@code limit} of them. Two parts
 * from disjoint slices of the database merge into the answer over their union ({@link #merge}); since each part
 * holds its slice's best by (distance, id), the merge of all parts is exactly the best over the whole database,
 * which is what a single-machine {@link org.deephash4j.search.LinearScan} returns.
 *
 * @param distances Hamming distances, ascending
 * @param ids       database ids; ascending among equal distances
 * @param limit     the most entries kept (k for k-NN, {@link Integer#MAX_VALUE} for radius search)
 */
record TopK(int[] distances, long[] ids, int limit) implements Serializable {

    TopK {
        if (distances.length != ids.length) {
            throw new IllegalArgumentException("TopK: " + distances.length + " distances for " + ids.length + " ids");
        }
    }

    int size() {
        return ids.length;
    }

    /** The best {@code limit} of this and {@code other} by (distance, id); both must already be in that order. */
    TopK merge(TopK other) {
        int n = (int) Math.min(limit, (long) size() + other.size());
        int[] d = new int[n];
        long[] id = new long[n];
        int i = 0, j = 0;
        for (int o = 0; o < n; o++) {
            boolean takeThis = j >= other.size()
                    || (i < size() && (distances[i] < other.distances[j]
                        || (distances[i] == other.distances[j] && ids[i] <= other.ids[j])));
            if (takeThis) {
                d[o] = distances[i];
                id[o] = ids[i++];
            } else {
                d[o] = other.distances[j];
                id[o] = other.ids[j++];
            }
        }
        return new TopK(d, id, limit);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopK t && t.limit == limit && Arrays.equals(t.distances, distances) && Arrays.equals(t.ids, ids);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(distances) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TopK[");
        for (int i = 0; i < ids.length && i < 20; i++) {
            if (i > 0) s.append(", ");
            s.append(ids[i]).append('@').append(distances[i]);
        }
        return s.append(ids.length > 20 ? ", ...]" : "]").toString();
    }
}
