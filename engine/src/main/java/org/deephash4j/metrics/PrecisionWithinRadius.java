package org.deephash4j.metrics;

import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.SearchThreads;

/**
 * Precision and recall within Hamming radius r (METHODS.md 6.4, thuml/DeepHash evaluation): for each query,
 * R = {m : d_H(q, b_m) &lt;= r}; precision = #relevant(R) / |R|, recall = #relevant(R) / #relevant(database).
 * An empty R gives precision = recall = 0 and the query IS counted (mean over all queries), as thuml and
 * passalis/qsmi; a query with no relevant item in the database gets recall 0. The usual radius is 2.
 */
public final class PrecisionWithinRadius {
    /** The radius the papers report: 2. */
    public static final int DEFAULT_RADIUS = 2;

    /** Mean precision and recall over the queries. */
    public record Result(double precision, double recall) {
    }

    private PrecisionWithinRadius() {
    }

    /** Precision and recall within radius 2. */
    public static Result compute(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels) {
        return compute(queries, queryLabels, database, databaseLabels, DEFAULT_RADIUS);
    }

    public static Result compute(BinaryCodes queries, Labels queryLabels, BinaryCodes database, Labels databaseLabels,
                                 int radius) {
        if (radius < 0) throw new IllegalArgumentException("PrecisionWithinRadius: radius = " + radius
                + ", expected >= 0");
        HammingRanking ranking = new HammingRanking("PrecisionWithinRadius", queries, queryLabels, database,
                databaseLabels);
        double[] precision = new double[queries.size()];
        double[] recall = new double[queries.size()];
        SearchThreads.forEach(precision.length, SearchThreads.defaultThreads(), () -> {
            HammingRanking.Query query = ranking.new Query();
            return q -> {
                query.score(q);
                int within = 0;
                int relevantWithin = 0;
                int relevantAll = 0;
                for (int m = 0; m < query.distances.length; m++) {
                    boolean rel = query.relevance[m];
                    if (rel) relevantAll++;
                    if (query.distances[m] <= radius) {
                        within++;
                        if (rel) relevantWithin++;
                    }
                }
                precision[q] = within == 0 ? 0 : (double) relevantWithin / within;
                recall[q] = relevantAll == 0 ? 0 : (double) relevantWithin / relevantAll;
            };
        });
        return new Result(mean(precision), mean(recall));
    }

    static double mean(double[] values) {
        double s = 0;
        for (double v : values) s += v;
        return values.length == 0 ? Double.NaN : s / values.length;
    }
}
