package org.deephash4j.app.eval;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.app.data.Dataset;
import org.deephash4j.app.data.Split;
import org.deephash4j.app.train.HashingModel;
import org.deephash4j.metrics.Labels;
import org.deephash4j.metrics.MeanAveragePrecision;
import org.deephash4j.metrics.PrecisionAtK;
import org.deephash4j.metrics.PrecisionRecallCurve;
import org.deephash4j.metrics.PrecisionWithinRadius;
import org.deephash4j.search.BinaryCodes;

/**
 * Encodes a split's queries and database with a model and computes the retrieval figures with
 * the engine's metrics; writes the precision-recall plots as PNG.
 */
public final class Evaluator {
    /** Points of the by-rank precision-recall curve kept for plots. */
    public static final int CURVE_POINTS = 101;

    private Evaluator() {
    }

    /** Labels of {@code indices} for the metrics (single or multi-hot). */
    public static Labels labelsOf(Dataset data, int[] indices) {
        if (data.isSingleLabel()) return Labels.ofClasses(data.classIndices(indices));
        return Labels.ofMultiHot(data.labels(indices), data.classes());
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
        return evaluate(model.method().name(), codes.queries(), labelsOf(data, split.query()), codes.database(),
                labelsOf(data, split.database()), mapK, precisionK, codes.seconds());
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

    /** pr-curve.png (by rank) and pr-radius.png (by Hamming radius) in {@code dir}. */
    public static void writePlots(EvalResult r, Path dir, String prefix) throws IOException {
        String title = r.method() + ", " + r.bits() + " bits";
        new LineChart("Precision-recall (Hamming ranking), " + title, "recall", "precision", 0, 1, 0, 1)
                .add(new LineChart.Series(title, r.prRankRecall(), r.prRankPrecision()))
                .writePng(dir.resolve(prefix + "pr-curve.png"));
        double[] radius = new double[r.prRadiusPrecision().length];
        for (int i = 0; i < radius.length; i++) radius[i] = i;
        new LineChart("Within Hamming radius r, " + title, "radius r", "precision / recall", 0, r.bits(), 0, 1)
                .xDivisions(r.bits() % 4 == 0 ? 4 : r.bits() % 3 == 0 ? 3 : 1)
                .add(new LineChart.Series("precision", radius, r.prRadiusPrecision()))
                .add(new LineChart.Series("recall", radius, r.prRadiusRecall()))
                .writePng(dir.resolve(prefix + "pr-radius.png"));
    }
}
