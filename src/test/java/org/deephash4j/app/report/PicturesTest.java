package org.deephash4j.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PicturesTest {
    @TempDir
    Path dir;

    @Test
    void chartDrawsItsSeriesAndWritesAReadablePng() throws IOException {
        LineChart chart = new LineChart("t", "x", "y", 0, 1, 0, 1).add(new LineChart.Series("s", new double[] {0, 1}, new double[] {0, 1}));
        Path p = dir.resolve("c.png");
        chart.writePng(p);
        BufferedImage im = ImageIO.read(p.toFile());
        assertEquals(640, im.getWidth());
        // the diagonal series passes through the middle of the plot area (left 70, right 20, top 40, bottom 55)
        int cx = 70 + (640 - 90) / 2, cy = 40 + (480 - 95) / 2;
        boolean coloured = false;
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                int rgb = im.getRGB(cx + dx, cy + dy) & 0xffffff;
                int r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (b > r + 60 && b > g + 30) coloured = true;           // the first series is blue
            }
        }
        assertTrue(coloured, "series line not found at the centre");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void montageHasOneRowPerQueryAndOneColumnPerResult() {
        byte[] white = new byte[4 * 4];
        java.util.Arrays.fill(white, (byte) 255);
        Montage.Cell c = new Montage.Cell(white, "d=0", true);
        BufferedImage im = Montage.render(List.of(new Montage.Row(c, List.of(c, c, c)), new Montage.Row(c, List.of(c))), 1, 4, 4, 20);
        int cw = 20 + 12, ch = 20 + 12 + 16;
        assertEquals(4 * cw + 6, im.getWidth());
        assertEquals(2 * ch + 6, im.getHeight());
        assertEquals(0xffffff, im.getRGB(6 + cw + 10, 6 + 10) & 0xffffff, "a white result image inside its cell");
        assertEquals(0x2ca02c, im.getRGB(6 + cw - 2, 6 + 10) & 0xffffff, "a relevant result has a green frame");
    }
}
