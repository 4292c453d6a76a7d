package org.deephash4j.metrics;

import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.SearchThreads;

/**
 * Mean average precision of Hamming ranking (METHODS.md 6.3). For one query ranked over the database (ascending
 * Hamming distance, ties in database order):
 * <pre>
 *   P(r)  = (# relevant among ranks 1..r) / r
 *   R_k   = # relevant among ranks 1..k
 *   AP@k  = (1 / R_k) * sum_{r=1..k} P(r) * rel(r)        (undefined if R_k = 0)
 *   mAP@k = mean over queries
 * </pre>
 * The normaliser is R_k, the relevant items found in the top k, not all relevant items (the convention of
 * DeepHash-pytorch, thuml, DSDH and DLBHC code); k = database size gives mAP over the whole database.
 * A query with R_k = 0 either counts as AP 0 ({@link NoRelevant#COUNT_AS_ZERO}, the default, as DeepHash-pytorch
 * and DLBHC) or is left out of the mean ({@link NoRelevant#EXCLUDE}, as thuml/HashNet test.py and official DSDH).
 * Relevance: the query and the item share at least one label ({@link Labels}).
 */
public final class MeanAveragePrecision {
    /** What a query with no relevant item in its top k contributes. */
    public enum NoRelevant {
        /** AP = 0, the query is counted in the mean. */
        COUNT_AS_ZERO,
        /** The query is left out of the mean. */
        EXCLUDE
    }

    private MeanAveragePrecision() {
    }

    /** mAP over the whole database (k = n), R_k = 0 counted as 0. */
    public static double compute(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels) {
        return atK(queries, queryLabels, database, databaseLabels, database.size(), NoRelevant.COUNT_AS_ZERO);
    }

    /** mAP@k, R_k = 0 counted as 0. */
    public static double atK(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels,
                             int k) {
        return atK(queries, queryLabels, database, databaseLabels, k, NoRelevant.COUNT_AS_ZERO);
    }

    /**
     * mAP@k with the given R_k = 0 policy; k larger than the database means the whole database.
     * Returns NaN when the policy is EXCLUDE and no query has a relevant item in its top k.
     */
    public static double atK(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels,
                             int k, NoRelevant policy) {
        double[] ap = perQuery(queries, queryLabels, database, databaseLabels, k);
        double sum = 0;
        int counted = 0;
        for (double a : ap) {       // query order: the same bits for any thread count
            if (Double.isNaN(a)) {
                if (policy == NoRelevant.EXCLUDE) continue;
                a = 0;
            }
            sum += a;
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** AP@k of every query; NaN where R_k = 0. */
    public static double[] perQuery(BinaryCodes queries, Labels queryLabels, BinaryCodes database,
                                    Labels databaseLabels, int k) {
        if (k < 1) throw new IllegalArgumentException("MeanAveragePrecision: k = " + k + ", expected >= 1");
        HammingRanking ranking = new HammingRanking("MeanAveragePrecision", queries, queryLabels, database,
                databaseLabels);
        int top = Math.min(k, database.size());
        double[] ap = new double[queries.size()];
        SearchThreads.forEach(ap.length, SearchThreads.defaultThreads(), () -> {
            HammingRanking.Query query = ranking.new Query();
            return q -> {
                query.rank(q);
                int found = 0;
                double sum = 0;
                for (int r = 0; r < top; r++) {
                    if (query.relevance[query.order[r]]) {
                        found++;
                        sum += (double) found / (r + 1);
                    }
                }
                ap[q] = found == 0 ? Double.NaN : sum / found;
            };
        });
        return ap;
    }
}
