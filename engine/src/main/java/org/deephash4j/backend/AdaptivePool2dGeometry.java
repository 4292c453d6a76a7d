package org.deephash4j.backend;

/**
 * The sizes of one adaptive 2-D pooling, NCHW, as PyTorch's {@code AdaptiveAvgPool2d}: input
 * {@code [batch, channels, inHeight, inWidth]}, output {@code [batch, channels, outHeight, outWidth]},
 * output cell (i, j) pooling input rows {@code [rowStart(i), rowEnd(i))} and columns
 * {@code [colStart(j), colEnd(j))} with
 * <pre>
 *   start(i) = floor(i · in / out),   end(i) = ceil((i + 1) · in / out)
 * </pre>
 * Every window holds at least one position. When out divides in, the windows tile the input
 * (a uniform pooling of in / out positions; out = in is the identity); when in divides out, each
 * input cell is repeated out / in times; otherwise neighbouring windows may overlap by one
 * position (as in PyTorch). Global average pooling is out = 1 × 1.
 */
public record AdaptivePool2dGeometry(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth) {
    public AdaptivePool2dGeometry {
        if (batch < 1 || channels < 1 || inHeight < 1 || inWidth < 1 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: bad geometry " + describe(batch, channels, inHeight,
                    inWidth, outHeight, outWidth) + " (every size must be >= 1)");
        }
    }

    /** First input row of output row i. */
    public int rowStart(int i) {
        return start(i, inHeight, outHeight);
    }

    /** One past the last input row of output row i. */
    public int rowEnd(int i) {
        return end(i, inHeight, outHeight);
    }

    /** First input column of output column j. */
    public int colStart(int j) {
        return start(j, inWidth, outWidth);
    }

    /** One past the last input column of output column j. */
    public int colEnd(int j) {
        return end(j, inWidth, outWidth);
    }

    /** floor(i · in / out), in integers (PyTorch's {@code start_index}). */
    public static int start(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** ceil((i + 1) · in / out), in integers (PyTorch's {@code end_index}). */
    public static int end(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    public long inputSize() {
        return (long) batch * channels * inHeight * inWidth;
    }

    public long outputSize() {
        return (long) batch * channels * outHeight * outWidth;
    }

    @Override
    public String toString() {
        return describe(batch, channels, inHeight, inWidth, outHeight, outWidth);
    }

    private static String describe(int n, int c, int h, int w, int oh, int ow) {
        return "input [" + n + ", " + c + ", " + h + ", " + w + "], output " + oh + "x" + ow;
    }
}
