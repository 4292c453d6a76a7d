package org.deephash4j.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a model's training images looked like, measured on their stored bytes and recorded in the
 * checkpoint, so that a query image can be brought to the same terms ({@code QueryImage}) or refused:
 * <ul>
 *   <li>polarity: a bright object on a dark ground (Fashion-MNIST, MNIST), a dark object on a light
 *       ground (product photos), or mixed (natural photos). An image's contrast is the mean grey level
 *       of its central box (the middle half of each side) minus that of its border (the outer eighth of
 *       each side), in 0..255; it is dark-ground above {@value #CONTRAST}, light-ground below minus
 *       that; a set is dark-ground (light-ground) when at least 80 % of its images are;</li>
 *   <li>grey: every image has R = G = B (or one channel), as grey data replicated to RGB;</li>
 *   <li>the per-channel mean and standard deviation of pixel / 255, and the range (1st to 99th
 *       percentile) of the images' mean grey level.</li>
 * </ul>
 *
 * @param polarity          the set's polarity
 * @param darkGroundShare   fraction of the images that are dark-ground
 * @param grey              true when every image is grey
 * @param mean              per-channel mean of pixel / 255
 * @param std               per-channel standard deviation of pixel / 255
 * @param brightnessLow     1st percentile of the images' mean grey level / 255
 * @param brightnessHigh    99th percentile of the images' mean grey level / 255
 */
public record InputProfile(Polarity polarity, float darkGroundShare, boolean grey, float[] mean, float[] std,
                           float brightnessLow, float brightnessHigh) {
    /** Contrast (grey levels) beyond which an image has a clear polarity. */
    public static final int CONTRAST = 8;
    private static final double MAJORITY = 0.8;

    /** Which way round object and ground are. */
    public enum Polarity {
        DARK_GROUND("dark-ground"), LIGHT_GROUND("light-ground"), MIXED("mixed");

        private final String text;

        Polarity(String text) {
            this.text = text;
        }

        /** As written in metadata: {@code dark-ground}, {@code light-ground}, {@code mixed}. */
        public String text() {
            return text;
        }

        /** The polarity written as {@link #text()}; IllegalArgumentException for another word. */
        public static Polarity of(String text) {
            for (Polarity p : values()) if (p.text.equals(text)) return p;
            throw new IllegalArgumentException("'" + text + "' is not dark-ground, light-ground or mixed");
        }
    }

    public InputProfile {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("input profile: " + mean.length + " means and " + std.length + " deviations");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Measures the images at {@code indices} of {@code data} (see the class comment). */
    public static InputProfile measure(Dataset data, int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("input profile: no images to measure");
        int c = data.channels();
        int plane = data.height() * data.width();
        double[] sum = new double[c], sumSq = new double[c];
        double[] brightness = new double[indices.length];
        int dark = 0, light = 0;
        boolean grey = true;
        for (int k = 0; k < indices.length; k++) {
            byte[] image = data.rawImage(indices[k]);
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    double v = (image[ch * plane + p] & 0xff) / 255.0;
                    sum[ch] += v;
                    sumSq[ch] += v * v;
                }
            }
            if (c == 3 && grey) grey = isGrey(image, plane);
            float[] g = greyLevels(image, c, plane);
            double contrast = contrast(g, data.height(), data.width());
            if (contrast > CONTRAST) dark++;
            if (contrast < -CONTRAST) light++;
            double b = 0;
            for (float v : g) b += v;
            brightness[k] = b / plane / 255.0;
        }
        double n = (double) indices.length * plane;
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(Math.max(sumSq[ch] / n - m * m, 0));
        }
        Arrays.sort(brightness);
        Polarity polarity = dark >= MAJORITY * indices.length ? Polarity.DARK_GROUND
                : light >= MAJORITY * indices.length ? Polarity.LIGHT_GROUND : Polarity.MIXED;
        return new InputProfile(polarity, (float) dark / indices.length, grey, mean, std,
                (float) brightness[(int) Math.floor(0.01 * (indices.length - 1))],
                (float) brightness[(int) Math.ceil(0.99 * (indices.length - 1))]);
    }

    /**
     * The contrast of one image of grey levels [h, w]: mean of the central box minus mean of the
     * border, in grey levels (positive: a bright object on a dark ground).
     */
    public static double contrast(float[] grey, int h, int w) {
        int bh = Math.max(1, h / 8), bw = Math.max(1, w / 8);
        double border = 0, centre = 0;
        int nb = 0, nc = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = grey[y * w + x];
                if (y < bh || y >= h - bh || x < bw || x >= w - bw) {
                    border += v;
                    nb++;
                }
                if (y >= h / 4 && y < h - h / 4 && x >= w / 4 && x < w - w / 4) {
                    centre += v;
                    nc++;
                }
            }
        }
        if (nb == 0 || nc == 0) return 0;
        return centre / nc - border / nb;
    }

    /** Grey levels [h * w] of an image of {@code channels} planes (the luma for RGB). */
    public static float[] greyLevels(byte[] image, int channels, int plane) {
        float[] g = new float[plane];
        for (int p = 0; p < plane; p++) {
            g[p] = channels == 1 ? image[p] & 0xff
                    : 0.299f * (image[p] & 0xff) + 0.587f * (image[plane + p] & 0xff) + 0.114f * (image[2 * plane + p] & 0xff);
        }
        return g;
    }

    /** True when every pixel of an RGB image [3, plane] has R = G = B. */
    public static boolean isGrey(byte[] image, int plane) {
        for (int p = 0; p < plane; p++) {
            if (image[p] != image[plane + p] || image[p] != image[2 * plane + p]) return false;
        }
        return true;
    }

    /** The metadata entries ({@code input.polarity}, ...) that ModelInfo reads back. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input.polarity", polarity.text());
        m.put("input.dark_ground_share", Float.toString(darkGroundShare));
        m.put("input.grey", Boolean.toString(grey));
        m.put("input.channel_mean", join(mean));
        m.put("input.channel_std", join(std));
        m.put("input.brightness_range", brightnessLow + "," + brightnessHigh);
        return m;
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ",").append(v[i]);
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputProfile p && polarity == p.polarity && darkGroundShare == p.darkGroundShare && grey == p.grey
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std) && brightnessLow == p.brightnessLow
                && brightnessHigh == p.brightnessHigh;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + polarity.hashCode();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%.0f%% dark-ground), %s, mean brightness %.3f to %.3f", polarity.text(),
                100 * darkGroundShare, grey ? "grey" : "colour", brightnessLow, brightnessHigh);
    }
}
