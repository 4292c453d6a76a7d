package org.deephash4j.metrics;

import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.SearchThreads;

/**
 * Precision at k of Hamming ranking (METHODS.md 6.5, DLBHC precision.m): the mean over queries of
 * (# relevant among the top k) / k, ranks by ascending distance with ties in database order.
 * k must not exceed the database size.
 */
public final class PrecisionAtK {
    private PrecisionAtK() {
    }

    /** P@k. */
    public static double compute(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels,
                                 int k) {
        return curve(queries, queryLabels, database, databaseLabels, k)[k - 1];
    }

    /** P@k for k = 1..maxK: {@code out[k - 1]}. */
    public static double[] curve(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels,
                                 int maxK) {
        if (maxK < 1 || maxK > database.size()) {
            throw new IllegalArgumentException("PrecisionAtK: k = " + maxK + ", expected 1.." + database.size()
                    + " (the database size)");
        }
        HammingRanking ranking = new HammingRanking("PrecisionAtK", queries, queryLabels, database, databaseLabels);
        // Relevant-in-top-k counts are integers, so summing them over queries is exact in any order.
        long[] found = new long[maxK];
        int queryCount = queries.size();
        SearchThreads.forEach(queryCount, SearchThreads.defaultThreads(), () -> {
            HammingRanking.Query query = ranking.new Query();
            return q -> {
                query.rank(q);
                int[] cum = new int[maxK];
                int c = 0;
                for (int r = 0; r < maxK; r++) {
                    if (query.relevance[query.order[r]]) c++;
                    cum[r] = c;
                }
                synchronized (found) {
                    for (int r = 0; r < maxK; r++) found[r] += cum[r];
                }
            };
        });
        double[] out = new double[maxK];
        for (int k = 1; k <= maxK; k++) out[k - 1] = queryCount == 0 ? Double.NaN : (double) found[k - 1] / k / queryCount;
        return out;
    }
}
