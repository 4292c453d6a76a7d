package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void imagesAreNormalisedPerChannel() {
        // two 2-channel 1x2 images
        byte[] px = {0, (byte) 255, 51, 102, (byte) 204, 0, 0, 0};
        Dataset d = Dataset.singleLabel("t", 2, 1, 2, px, new int[] {1, 0}, List.of("a", "b"));
        Normalization n = new Normalization(new float[] {0.5f, 0.2f}, new float[] {0.25f, 0.4f});
        float[] x = d.images(new int[] {0}, n);
        float[] expected = {(0f - 0.5f) / 0.25f, (1f - 0.5f) / 0.25f, (0.2f - 0.2f) / 0.4f, (0.4f - 0.2f) / 0.4f};
        assertArrayEquals(expected, x, 1e-6f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, d.labels(new int[] {0, 1}));
        assertArrayEquals(new int[] {0, 1}, d.classIndices(new int[] {1, 0}));
    }

    @Test
    void measuredNormalisationMatchesDirectFormula() {
        byte[] px = {0, 10, 20, 30, (byte) 200, (byte) 250};
        Dataset d = Dataset.singleLabel("t", 1, 1, 3, px, new int[] {0, 0}, List.of("a"));
        Normalization n = Normalization.measure(d, new int[] {0, 1});
        double[] v = {0, 10 / 255.0, 20 / 255.0, 30 / 255.0, 200 / 255.0, 250 / 255.0};
        double mean = 0, sq = 0;
        for (double x : v) mean += x / 6;
        for (double x : v) sq += (x - mean) * (x - mean) / 6;
        assertEquals(mean, n.mean()[0], 1e-6);
        assertEquals(Math.sqrt(sq), n.std()[0], 1e-6);
    }

    @Test
    void multiLabelRowsAndBadShapes() {
        Dataset d = new Dataset("m", 1, 1, 1, new byte[] {1, 2}, new byte[] {1, 1, 0, 0, 1, 0}, List.of("a", "b", "c"));
        assertEquals(-1, d.classOf(0));
        assertEquals(1, d.classOf(1));
        assertFalse(d.isSingleLabel());
        assertThrows(IllegalArgumentException.class, () -> d.classIndices(new int[] {0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("bad", 1, 2, 2, new byte[7], new byte[2], List.of("a")));
        assertTrue(e.getMessage().contains("not a whole number of 1x2x2 images"), e.getMessage());
    }

    @Test
    void subsetAndConcatKeepImagesAndLabels() {
        Dataset a = SyntheticDataset.generate(3, 2, 1, 4, 4, 1);
        Dataset b = SyntheticDataset.generate(2, 2, 1, 4, 4, 2);
        Dataset ab = Dataset.concat(a, b, "ab");
        assertEquals(10, ab.size());
        assertArrayEquals(b.rawImage(1), ab.rawImage(7));
        assertEquals(b.classOf(1), ab.classOf(7));
        Dataset s = ab.subset(new int[] {7, 0}, "s");
        assertArrayEquals(b.rawImage(1), s.rawImage(0));
        assertArrayEquals(a.rawImage(0), s.rawImage(1));
    }
}
