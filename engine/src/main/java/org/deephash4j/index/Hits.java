package org.deephash4j.index;

import java.util.Arrays;

/**
 * The answer to one query of an index: ids in order of (Hamming distance, id), with their distances. The side
 * data of an answer is looked up by id in the snapshot that answered ({@link IndexSnapshot#source}). Immutable;
 * the array accessors return copies.
 */
public final class Hits {
    private final long[] ids;
    private final int[] distances;

    Hits(long[] ids, int[] distances) {
        this.ids = ids;
        this.distances = distances;
    }

    public int size() {
        return ids.length;
    }

    public long id(int i) {
        return ids[i];
    }

    public int distance(int i) {
        return distances[i];
    }

    public long[] ids() {
        return ids.clone();
    }

    public int[] distances() {
        return distances.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hits h && Arrays.equals(h.ids, ids) && Arrays.equals(h.distances, distances);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + Arrays.hashCode(distances);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Hits[");
        for (int i = 0; i < ids.length && i < 20; i++) {
            if (i > 0) s.append(", ");
            s.append(ids[i]).append('@').append(distances[i]);
        }
        if (ids.length > 20) s.append(", ... (").append(ids.length).append(" in all)");
        return s.append(']').toString();
    }
}
