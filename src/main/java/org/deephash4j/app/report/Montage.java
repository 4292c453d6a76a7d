package org.deephash4j.app.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A picture of search results: one row per query, the query image first (framed in blue), then
 * its top results left to right, each framed green when it shares a label with the query, red
 * when not (grey when relevance is unknown), with its Hamming distance underneath.
 */
public final class Montage {
    /** One result cell: pixels [C, H, W] unsigned bytes, its caption, and relevance (null = unknown). */
    public record Cell(byte[] pixels, String caption, Boolean relevant) {
    }

    /** One row: the query cell then its results. */
    public record Row(Cell query, List<Cell> results) {
    }

    private Montage() {
    }

    /** Draws rows of images of C x H x W, each scaled to {@code cellSize} pixels. */
    public static BufferedImage render(List<Row> rows, int channels, int height, int width, int cellSize) {
        int columns = 1;
        for (Row r : rows) columns = Math.max(columns, 1 + r.results().size());
        int pad = 6, caption = 16;
        int cw = cellSize + 2 * pad, ch = cellSize + 2 * pad + caption;
        BufferedImage out = new BufferedImage(columns * cw + pad, Math.max(1, rows.size()) * ch + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            draw(g, row.query(), new Color(0x1f77b4), pad, r * ch + pad, cellSize, channels, height, width);
            for (int c = 0; c < row.results().size(); c++) {
                Cell cell = row.results().get(c);
                Color frame = cell.relevant() == null ? Color.GRAY : cell.relevant() ? new Color(0x2ca02c) : new Color(0xd62728);
                draw(g, cell, frame, (c + 1) * cw + pad, r * ch + pad, cellSize, channels, height, width);
            }
        }
        g.dispose();
        return out;
    }

    public static void writePng(List<Row> rows, int channels, int height, int width, Path path) throws IOException {
        Png.write(render(rows, channels, height, width, Math.max(56, 2 * Math.max(height, width))), path);
    }

    private static void draw(Graphics2D g, Cell cell, Color frame, int x, int y, int size, int channels, int height, int width) {
        g.setColor(frame);
        g.fillRect(x - 3, y - 3, size + 6, size + 6);
        g.drawImage(toImage(cell.pixels(), channels, height, width), x, y, size, size, null);
        g.setColor(Color.BLACK);
        g.drawString(cell.caption(), x, y + size + 15);
    }

    /** Pixels [C, H, W] (C = 1 grey or 3 RGB) as an image. */
    public static BufferedImage toImage(byte[] pixels, int channels, int height, int width) {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            int r = pixels[p] & 0xff;
            int gr = channels == 3 ? pixels[plane + p] & 0xff : r;
            int b = channels == 3 ? pixels[2 * plane + p] & 0xff : r;
            im.setRGB(p % width, p / width, (r << 16) | (gr << 8) | b);
        }
        return im;
    }
}
