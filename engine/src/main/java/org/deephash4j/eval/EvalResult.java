package org.deephash4j.eval;

import java.util.List;
import java.util.Locale;

/**
 * The figures of one evaluation (METHODS.md §6, Hamming ranking with ties in database order):
 * mAP over the whole database, mAP@k, precision and recall within Hamming radius 2, precision@k,
 * and the two precision-recall curves (by rank, sampled; by radius 0..K).
 */
public record EvalResult(String method, int bits, int queries, int database, double map, int mapK, double mapAtK,
                         double precisionRadius2, double recallRadius2, int precisionK, double precisionAtK,
                         double[] prRankPrecision, double[] prRankRecall, double[] prRadiusPrecision,
                         double[] prRadiusRecall, double encodeSeconds) {

    /** The header of {@link #tableRow}. */
    public static String tableHeader(int mapK, int precisionK) {
        return String.format(Locale.ROOT, "%-8s %5s %8s %9s %8s %8s %8s", "method", "bits", "mAP", "mAP@" + mapK, "P(r<=2)",
                "R(r<=2)", "P@" + precisionK);
    }

    public String tableRow() {
        return String.format(Locale.ROOT, "%-8s %5d %8.4f %9.4f %8.4f %8.4f %8.4f", method, bits, map, mapAtK, precisionRadius2,
                recallRadius2, precisionAtK);
    }

    /** A small text table of one or more results. */
    public static String table(List<EvalResult> results) {
        StringBuilder b = new StringBuilder(tableHeader(results.getFirst().mapK, results.getFirst().precisionK)).append('\n');
        for (EvalResult r : results) b.append(r.tableRow()).append('\n');
        return b.toString();
    }

    /** The scalar figures as one JSON object (curves left out). */
    public String toJson(String extraFields) {
        return String.format(Locale.ROOT, "{\"method\":\"%s\",\"bits\":%d,\"queries\":%d,\"database\":%d,\"map\":%.6f,"
                        + "\"map_at_k\":%.6f,\"k\":%d,\"precision_radius2\":%.6f,\"recall_radius2\":%.6f,\"precision_at_k\":%.6f,"
                        + "\"precision_k\":%d,\"encode_seconds\":%.3f%s}", method, bits, queries, database, map, mapAtK, mapK,
                precisionRadius2, recallRadius2, precisionAtK, precisionK, encodeSeconds,
                extraFields == null || extraFields.isEmpty() ? "" : "," + extraFields);
    }
}
