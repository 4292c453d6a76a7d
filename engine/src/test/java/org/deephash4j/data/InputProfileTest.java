package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the training images looked like: polarity, greyness and channel statistics, measured on their bytes. */
class InputProfileTest {
    private static Dataset negated(Dataset d) {
        byte[] px = new byte[d.size() * d.imageSize()];
        for (int i = 0; i < d.size(); i++) {
            byte[] img = d.rawImage(i);
            for (int p = 0; p < img.length; p++) px[i * d.imageSize() + p] = (byte) (255 - (img[p] & 0xff));
        }
        return new Dataset("negated", d.channels(), d.height(), d.width(), px, labels(d), d.classNames());
    }

    private static byte[] labels(Dataset d) {
        float[] l = d.labels(Split.range(0, d.size()));
        byte[] out = new byte[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (byte) l[i];
        return out;
    }

    @Test
    void fashionMnistIsBrightObjectsOnADarkGround() throws IOException {
        Dataset d = DataSource.embeddedSubset().all();
        int[] all = Split.range(0, d.size());
        InputProfile p = InputProfile.measure(d, all);
        assertEquals(InputProfile.Polarity.DARK_GROUND, p.polarity());
        assertTrue(p.darkGroundShare() > 0.95, p.toString());
        assertTrue(p.grey());
        assertEquals(0.286, p.mean()[0], 0.01, "Fashion-MNIST's mean");
        assertEquals(0.353, p.std()[0], 0.01, "Fashion-MNIST's standard deviation");
        InputProfile n = InputProfile.measure(negated(d), all);
        assertEquals(InputProfile.Polarity.LIGHT_GROUND, n.polarity(), "product photos: dark objects on white");
        assertEquals(1 - p.mean()[0], n.mean()[0], 1e-5);
        assertEquals(1 - p.brightnessHigh(), n.brightnessLow(), 1e-5);
    }

    @Test
    void halfAndHalfIsMixedAndColourIsNotGrey() throws IOException {
        Dataset d = DataSource.embeddedSubset().all();
        int[] first = Split.range(0, 200);
        Dataset both = Dataset.concat(d.subset(first, "a"), negated(d.subset(first, "b")), "both");
        assertEquals(InputProfile.Polarity.MIXED, InputProfile.measure(both, Split.range(0, 400)).polarity());
        byte[] rgb = new byte[3 * 64];
        for (int p = 0; p < 64; p++) {
            rgb[p] = (byte) 10;
            rgb[64 + p] = (byte) 10;
            rgb[128 + p] = (byte) (p == 5 ? 11 : 10);
        }
        Dataset colour = Dataset.singleLabel("c", 3, 8, 8, rgb, new int[1], List.of("x"));
        assertFalse(InputProfile.measure(colour, new int[] {0}).grey());
    }

    @Test
    void theMetadataNamesEveryField() {
        InputProfile p = new InputProfile(InputProfile.Polarity.DARK_GROUND, 0.97f, true, new float[] {0.25f}, new float[] {0.5f},
                0.05f, 0.6f);
        assertEquals(Map.of("input.polarity", "dark-ground", "input.dark_ground_share", "0.97", "input.grey", "true",
                "input.channel_mean", "0.25", "input.channel_std", "0.5", "input.brightness_range", "0.05,0.6"), p.toMetadata());
    }
}
