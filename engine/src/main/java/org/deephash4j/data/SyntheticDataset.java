package org.deephash4j.data;

import java.util.Random;

/**
 * A seeded synthetic image set for tests and smoke runs: every class has a random prototype image
 * (bright 4x4 blocks on a dark ground, 30 % of the blocks lit), and each sample is its class
 * prototype shifted by up to one pixel (wrapping) plus uniform noise in [-20, 20]. Classes are
 * separable, so a training test can demand a high mAP.
 */
public final class SyntheticDataset {
    private SyntheticDataset() {
    }

    /** {@code perClass * classes} images, class-major order shuffled by {@code seed}. */
    public static Dataset generate(int perClass, int classes, int channels, int height, int width, long seed) {
        if (perClass <= 0 || classes <= 0) {
            throw new IllegalArgumentException("synthetic: " + perClass + " images per class and " + classes
                    + " classes; expected both > 0");
        }
        Random random = new Random(seed);
        int imageSize = channels * height * width;
        int[][] prototypes = new int[classes][imageSize];
        int blocksY = (height + 3) / 4, blocksX = (width + 3) / 4;
        for (int c = 0; c < classes; c++) {
            for (int ch = 0; ch < channels; ch++) {
                boolean[] lit = new boolean[blocksY * blocksX];
                for (int b = 0; b < lit.length; b++) lit[b] = random.nextFloat() < 0.3f;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        prototypes[c][(ch * height + y) * width + x] = lit[(y / 4) * blocksX + x / 4] ? 200 : 30;
                    }
                }
            }
        }
        int n = perClass * classes;
        int[] classIndex = new int[n];
        for (int i = 0; i < n; i++) classIndex[i] = i % classes;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = classIndex[i];
            classIndex[i] = classIndex[j];
            classIndex[j] = t;
        }
        byte[] pixels = new byte[n * imageSize];
        for (int i = 0; i < n; i++) {
            int dy = random.nextInt(3) - 1;
            int dx = random.nextInt(3) - 1;
            int[] proto = prototypes[classIndex[i]];
            for (int ch = 0; ch < channels; ch++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int sy = Math.floorMod(y + dy, height);
                        int sx = Math.floorMod(x + dx, width);
                        int v = proto[(ch * height + sy) * width + sx] + random.nextInt(41) - 20;
                        pixels[i * imageSize + (ch * height + y) * width + x] = (byte) Math.max(0, Math.min(255, v));
                    }
                }
            }
        }
        return Dataset.singleLabel("synthetic(seed " + seed + ")", channels, height, width, pixels, classIndex,
                Dataset.numberedClasses(classes));
    }
}
