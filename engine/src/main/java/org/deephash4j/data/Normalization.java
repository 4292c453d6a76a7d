package org.deephash4j.data;

import java.util.Arrays;

/**
 * Input normalisation per channel: x = (pixel / 255 - mean[c]) / std[c]. Stored in checkpoints so
 * that encoding uses exactly what training used.
 */
public record Normalization(float[] mean, float[] std) {
    /** Fashion-MNIST training-set statistics (the reproduction protocol's constants). */
    public static final Normalization FASHION_MNIST = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation: " + mean.length + " means and " + std.length
                    + " standard deviations; expected one of each per channel");
        }
        for (float s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("normalisation: standard deviation " + s + " must be positive");
        }
        mean = mean.clone();
        std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** Per-channel mean and (population) standard deviation of pixel / 255 over the images at {@code indices}. */
    public static Normalization measure(Dataset data, int[] indices) {
        int c = data.channels();
        int plane = data.height() * data.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        for (int i : indices) {
            byte[] image = data.rawImage(i);
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    double v = (image[ch * plane + p] & 0xff) / 255.0;
                    sum[ch] += v;
                    sumSq[ch] += v * v;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double n = (double) indices.length * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(Math.max(sumSq[ch] / n - m * m, 1e-12));
        }
        return new Normalization(mean, std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
