package org.deephash4j.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain line chart written as PNG with Java2D: axes with ticks, one polyline (with point marks)
 * per series and a legend. Used for the precision-recall curve and for precision within Hamming
 * radius 2 against the code length. Axis ranges are given (metrics live in [0, 1]).
 */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    /** One named curve: x[i], y[i]. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double xMin, xMax, yMin, yMax;
    private final List<Series> series = new ArrayList<>();
    private int xDivisions = 5;

    public LineChart(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin, double yMax) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    /** Number of grid divisions on the x axis (default 5); 4 gives whole radii for 12, 24, 32 and 48 bits. */
    public LineChart xDivisions(int n) {
        this.xDivisions = Math.max(1, n);
        return this;
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /** Draws the chart into a new image of the given size. */
    public BufferedImage render(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70, right = 20, top = 40, bottom = 55;
        int pw = width - left - right, ph = height - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (width - fm.stringWidth(title)) / 2, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        g.setColor(new Color(0xdddddd));
        for (int t = 0; t <= xDivisions; t++) {
            int x = left + pw * t / xDivisions;
            g.drawLine(x, top, x, top + ph);
        }
        for (int t = 0; t <= 5; t++) {
            int y = top + ph - ph * t / 5;
            g.drawLine(left, y, left + pw, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        for (int t = 0; t <= xDivisions; t++) {
            String xs = tick(xMin + (xMax - xMin) * t / xDivisions);
            int x = left + pw * t / xDivisions;
            g.drawString(xs, x - fm.stringWidth(xs) / 2, top + ph + 16);
        }
        for (int t = 0; t <= 5; t++) {
            String ys = tick(yMin + (yMax - yMin) * t / 5);
            int y = top + ph - ph * t / 5;
            g.drawString(ys, left - 6 - fm.stringWidth(ys), y + 4);
        }
        g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, height - 12);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(top + (ph + fm.stringWidth(yLabel)) / 2), 18);
        rotated.dispose();
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            Series sr = series.get(s);
            g.setColor(PALETTE[s % PALETTE.length]);
            int prevX = 0, prevY = 0;
            for (int i = 0; i < sr.x().length; i++) {
                int x = left + (int) Math.round(pw * (sr.x()[i] - xMin) / (xMax - xMin));
                int y = top + ph - (int) Math.round(ph * (sr.y()[i] - yMin) / (yMax - yMin));
                if (i > 0) g.drawLine(prevX, prevY, x, y);
                if (sr.x().length <= 64) g.fillOval(x - 3, y - 3, 7, 7);
                prevX = x;
                prevY = y;
            }
            int ly = top + 14 + 16 * s;
            g.drawLine(left + pw - 150, ly - 4, left + pw - 130, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(sr.name(), left + pw - 124, ly);
        }
        g.dispose();
        return image;
    }

    /** Renders at 640 x 480 and writes a PNG. */
    public void writePng(Path path) throws IOException {
        Png.write(render(640, 480), path);
    }

    private static String tick(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) >= 1) return Long.toString(Math.round(v));
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
