package org.deephash4j.search;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Orders candidates by (Hamming distance, id): a counting sort by distance (distances are 0..bits, so this
 * beats a comparison sort), then, inside each distance, by id. Candidates from a scan already come in row
 * order; when the database ids increase with the row that is id order and the second step is skipped.
 */
final class Ranking {
    private Ranking() {
    }

    /**
     * Sorts {@code rows[0, count)} and {@code dists[0, count)} in place into (distance, id) order.
     *
     * @param rowOrdered true when the candidates are in ascending row order
     */
    static void sort(int[] rows, int[] dists, int count, BinaryCodes database, boolean rowOrdered) {
        int bits = database.bits();
        int[] start = new int[bits + 2];
        for (int c = 0; c < count; c++) start[dists[c] + 1]++;
        for (int d = 0; d <= bits; d++) start[d + 1] += start[d];
        int[] sortedRows = new int[count];
        int[] next = Arrays.copyOf(start, bits + 1);
        for (int c = 0; c < count; c++) sortedRows[next[dists[c]]++] = rows[c];
        System.arraycopy(sortedRows, 0, rows, 0, count);
        for (int d = 0; d <= bits; d++) {
            int from = start[d];
            int to = start[d + 1];
            Arrays.fill(dists, from, to, d);
            if (to - from < 2) continue;
            if (database.idsAscending()) {
                if (!rowOrdered) Arrays.sort(rows, from, to);
            } else {
                sortById(rows, from, to, database.idArray());
            }
        }
    }

    /** Sorts rows[from, to) by (id, row); used only when ids are not in row order. */
    private static void sortById(int[] rows, int from, int to, long[] ids) {
        Integer[] boxed = new Integer[to - from];
        for (int i = from; i < to; i++) boxed[i - from] = rows[i];
        Arrays.sort(boxed, Comparator.<Integer>comparingLong(r -> ids[r]).thenComparingInt(r -> r));
        for (int i = from; i < to; i++) rows[i] = boxed[i - from];
    }
}
