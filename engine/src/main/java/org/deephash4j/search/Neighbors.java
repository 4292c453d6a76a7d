package org.deephash4j.search;

import java.util.Arrays;

/**
 * The answer to one query: database rows in order of (Hamming distance, id), with their ids and distances.
 * Immutable; the accessors return copies.
 */
public final class Neighbors {
    private final int[] rows;
    private final long[] ids;
    private final int[] distances;

    Neighbors(int[] rows, long[] ids, int[] distances) {
        this.rows = rows;
        this.ids = ids;
        this.distances = distances;
    }

    /** Builds the answer from database rows and distances already in (distance, id) order. */
    static Neighbors of(BinaryCodes database, int[] rows, int[] distances, int count) {
        long[] allIds = database.idArray();
        long[] id = new long[count];
        for (int i = 0; i < count; i++) id[i] = allIds[rows[i]];
        return new Neighbors(Arrays.copyOf(rows, count), id, Arrays.copyOf(distances, count));
    }

    public int size() {
        return rows.length;
    }

    /** Database row of the i-th neighbour. */
    public int row(int i) {
        return rows[i];
    }

    public long id(int i) {
        return ids[i];
    }

    public int distance(int i) {
        return distances[i];
    }

    public int[] rows() {
        return rows.clone();
    }

    public long[] ids() {
        return ids.clone();
    }

    public int[] distances() {
        return distances.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Neighbors n && Arrays.equals(n.rows, rows) && Arrays.equals(n.ids, ids)
                && Arrays.equals(n.distances, distances);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rows) * 31 + Arrays.hashCode(distances);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Neighbors[");
        for (int i = 0; i < rows.length && i < 20; i++) {
            if (i > 0) s.append(", ");
            s.append(ids[i]).append('@').append(distances[i]);
        }
        if (rows.length > 20) s.append(", ... (").append(rows.length).append(" in all)");
        return s.append(']').toString();
    }
}
