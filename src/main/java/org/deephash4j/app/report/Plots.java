package org.deephash4j.app.report;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.eval.EvalResult;

/** The two plots of an evaluation: the precision-recall curve by rank and precision / recall by Hamming radius. */
public final class Plots {
    private Plots() {
    }

    /** pr-curve.png (by rank) and pr-radius.png (by Hamming radius) in {@code dir}. */
    public static void write(EvalResult r, Path dir, String prefix) throws IOException {
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
