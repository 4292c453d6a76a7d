package org.deephash4j.eval;

import org.deephash4j.data.Dataset;
import org.deephash4j.data.Labels;
import org.deephash4j.data.Split;
import org.deephash4j.metrics.MeanAveragePrecision;
import org.deephash4j.metrics.PrecisionAtK;
import org.deephash4j.metrics.PrecisionRecallCurve;
import org.deephash4j.metrics.PrecisionWithinRadius;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;

/**
 * Encodes a split's queries and database with a model and computes the retrieval figures with
 * the engine's metrics (METHODS.md section 6: Hamming ranking, ties in database order).
 */
public final class Evaluator {
    /** Points of the by-rank precision-recall curve kept for plots. */
    public static final int CURVE_POINTS = 101;

    private Evaluator() {
    }

    public static EvalResult evaluate(HashingModel model, Dataset data, Split split, int mapK, int precisionK) {
        return evaluate(model, data, split, encode(model, data, split), mapK, precisionK);
    }

    /** Query and database codes of a split, and the seconds it took to encode them. */
    public record Codes(BinaryCodes queries, BinaryCodes database, double seconds) {
    }

    public static Codes encode(HashingModel model, Dataset data, Split split) {
        long t0 = System.nanoTime();
        BinaryCodes queries = model.encode(data, split.query());
        BinaryCodes database = model.encode(data, split.database());
        return new Codes(queries, database, (System.nanoTime() - t0) / 1e9);
    }

    /** The figures for a split whose codes are already computed. */
    public static EvalResult evaluate(HashingModel model, Dataset data, Split split, Codes codes, int mapK, int precisionK) {
        return evaluate(model.method().name(), codes.queries(), data.labelsOf(split.query()), codes.database(),
                data.labelsOf(split.database()), mapK, precisionK, codes.seconds());
    }

    /** The figures for codes already computed. */
    public static EvalResult evaluate(String method, BinaryCodes queries, Labels queryLabels, BinaryCodes database,
                                      Labels databaseLabels, int mapK, int precisionK, double encodeSeconds) {
        int n = database.size();
        int k = Math.min(mapK, n);
        int pk = Math.min(precisionK, n);
        double map = MeanAveragePrecision.compute(queries, queryLabels, database, databaseLabels);
        double mapAtK = MeanAveragePrecision.atK(queries, queryLabels, database, databaseLabels, k);
        PrecisionWithinRadius.Result r2 = PrecisionWithinRadius.compute(queries, queryLabels, database, databaseLabels);
        double pAtK = PrecisionAtK.compute(queries, queryLabels, database, databaseLabels, pk);
        PrecisionRecallCurve.Curve byRank = PrecisionRecallCurve.byRank(queries, queryLabels, database, databaseLabels);
        PrecisionRecallCurve.Curve byRadius = PrecisionRecallCurve.byRadius(queries, queryLabels, database, databaseLabels);
        double[] rp = new double[Math.min(CURVE_POINTS, n)];
        double[] rr = new double[rp.length];
        for (int i = 0; i < rp.length; i++) {
            int at = rp.length == 1 ? n - 1 : (int) Math.round((double) i * (n - 1) / (rp.length - 1));
            rp[i] = byRank.precision()[at];
            rr[i] = byRank.recall()[at];
        }
        return new EvalResult(method, queries.bits(), queries.size(), n, map, k, mapAtK, r2.precision(), r2.recall(), pk, pAtK,
                rp, rr, byRadius.precision(), byRadius.recall(), encodeSeconds);
    }

}
