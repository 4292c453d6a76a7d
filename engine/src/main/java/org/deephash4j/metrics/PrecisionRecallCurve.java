package org.deephash4j.metrics;

import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.SearchThreads;

/**
 * Precision-recall curves of Hamming ranking (METHODS.md 6.4, 6.5).
 * <ul>
 *   <li>{@link #byRank}: DeepHash-pytorch {@code CalcTopMapWithPR}: for every rank position r = 1..n of the
 *       ranking (ties in database order), precision(r) = relevant in top r / r and recall(r) = relevant in top r /
 *       relevant in the database, averaged over all queries; a query with no relevant item contributes 0 to both.
 *   <li>{@link #byRadius}: thuml {@code get_precision_recall_by_Hamming_Radius_All}: for r = 0..bits the
 *       precision and recall within radius r ({@link PrecisionWithinRadius}: empty radius gives 0, query counted).
 * </ul>
 */
public final class PrecisionRecallCurve {
    /** precision[i] and recall[i] at point i (rank i + 1, or radius i). */
    public record Curve(double[] precision, double[] recall) {
    }

    private static final int CHUNK = 32;

    private PrecisionRecallCurve() {
    }

    /** Precision and recall at every rank 1..n, averaged over queries (point i is rank i + 1). */
    public static Curve byRank(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels) {
        HammingRanking ranking = new HammingRanking("PrecisionRecallCurve", queries, queryLabels, database,
                databaseLabels);
        int n = database.size();
        int queryCount = queries.size();
        // Fixed chunks of queries, each summed serially, combined in chunk order: the same bits for any thread
        // count, and memory of chunks x n instead of queries x n.
        int chunks = (queryCount + CHUNK - 1) / CHUNK;
        long[][] found = new long[chunks][];
        double[][] recall = new double[chunks][];
        SearchThreads.forEach(chunks, SearchThreads.defaultThreads(), () -> {
            HammingRanking.Query query = ranking.new Query();
            return chunk -> {
                long[] f = new long[n];
                double[] r = new double[n];
                for (int q = chunk * CHUNK; q < Math.min(queryCount, (chunk + 1) * CHUNK); q++) {
                    query.rank(q);
                    int total = 0;
                    for (boolean rel : query.relevance) if (rel) total++;
                    int c = 0;
                    for (int i = 0; i < n; i++) {
                        if (query.relevance[query.order[i]]) c++;
                        f[i] += c;
                        if (total > 0) r[i] += (double) c / total;
                    }
                }
                found[chunk] = f;
                recall[chunk] = r;
            };
        });
        double[] p = new double[n];
        double[] r = new double[n];
        for (int chunk = 0; chunk < chunks; chunk++) {
            for (int i = 0; i < n; i++) {
                p[i] += found[chunk][i];
                r[i] += recall[chunk][i];
            }
        }
        for (int i = 0; i < n; i++) {
            p[i] = p[i] / (i + 1) / queryCount;   // sum_q c_q(i) / (i + 1), an exact integer sum first
            r[i] /= queryCount;
        }
        return new Curve(p, r);
    }

    /** Precision and recall within Hamming radius r for r = 0..bits (point r). */
    public static Curve byRadius(BinaryCodes queries, Labels queryLabels, BinaryCodes database,
                                 Labels databaseLabels) {
        HammingRanking ranking = new HammingRanking("PrecisionRecallCurve", queries, queryLabels, database,
                databaseLabels);
        int bits = database.bits();
        double[][] precision = new double[queries.size()][];
        double[][] recall = new double[queries.size()][];
        SearchThreads.forEach(precision.length, SearchThreads.defaultThreads(), () -> {
            HammingRanking.Query query = ranking.new Query();
            return q -> {
                query.score(q);
                int[] atDistance = new int[bits + 1];
                int[] relevantAt = new int[bits + 1];
                int total = 0;
                for (int m = 0; m < query.distances.length; m++) {
                    atDistance[query.distances[m]]++;
                    if (query.relevance[m]) {
                        relevantAt[query.distances[m]]++;
                        total++;
                    }
                }
                double[] p = new double[bits + 1];
                double[] r = new double[bits + 1];
                int within = 0;
                int relevantWithin = 0;
                for (int d = 0; d <= bits; d++) {
                    within += atDistance[d];
                    relevantWithin += relevantAt[d];
                    p[d] = within == 0 ? 0 : (double) relevantWithin / within;
                    r[d] = total == 0 ? 0 : (double) relevantWithin / total;
                }
                precision[q] = p;
                recall[q] = r;
            };
        });
        return new Curve(average(precision, bits + 1), average(recall, bits + 1));
    }

    /** Column means in query order (deterministic for any thread count). */
    private static double[] average(double[][] perQuery, int length) {
        double[] out = new double[length];
        for (double[] row : perQuery) for (int i = 0; i < length; i++) out[i] += row[i];
        for (int i = 0; i < length; i++) out[i] = perQuery.length == 0 ? Double.NaN : out[i] / perQuery.length;
        return out;
    }
}
