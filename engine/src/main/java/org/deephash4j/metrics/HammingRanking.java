package org.deephash4j.metrics;

import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;

/**
 * The reference ranking protocol shared by the metrics (METHODS.md 6.1-6.2): the database in ascending Hamming
 * distance from the query, ties kept in database order (a stable sort by (distance, database index), as MATLAB's
 * stable {@code sort}). Distances are 0..bits, so one counting sort per query does it.
 */
final class HammingRanking {
    private final LinearScan scan;
    private final BinaryCodes queries;
    private final Labels queryLabels;
    private final Labels databaseLabels;

    HammingRanking(String metric, BinaryCodes queries, Labels queryLabels, BinaryCodes database,
                   Labels databaseLabels) {
        if (queries.bits() != database.bits()) {
            throw new IllegalArgumentException(metric + ": the database holds " + database.bits()
                    + "-bit codes but the queries have " + queries.bits() + " bits");
        }
        if (queryLabels.size() != queries.size()) {
            throw new IllegalArgumentException(metric + ": " + queries.size() + " query codes but "
                    + queryLabels.size() + " query labels");
        }
        if (databaseLabels.size() != database.size()) {
            throw new IllegalArgumentException(metric + ": " + database.size() + " database codes but "
                    + databaseLabels.size() + " database labels");
        }
        if (database.size() == 0) throw new IllegalArgumentException(metric + ": the database is empty");
        this.scan = new LinearScan(database);
        this.queries = queries;
        this.queryLabels = queryLabels;
        this.databaseLabels = databaseLabels;
    }

    int databaseSize() {
        return scan.codes().size();
    }

    int bits() {
        return queries.bits();
    }

    /** Per-worker buffers for one query at a time. */
    final class Query {
        final int[] distances = new int[databaseSize()];
        final int[] order = new int[databaseSize()];
        final boolean[] relevance = new boolean[databaseSize()];
        final int[] start = new int[bits() + 2];

        /** Fills distances and relevance for query {@code q} (indexed by database row). */
        void score(int q) {
            scan.distances(queries, q, distances);
            queryLabels.relevance(q, databaseLabels, relevance);
        }

        /** score(q), then order[r] = database row at rank r (0-based), stable by row within a distance. */
        void rank(int q) {
            score(q);
            java.util.Arrays.fill(start, 0);
            for (int d : distances) start[d + 1]++;
            for (int d = 0; d <= bits(); d++) start[d + 1] += start[d];
            for (int i = 0; i < distances.length; i++) order[start[distances[i]]++] = i;
        }
    }
}
