package org.deephash4j.backend;

/**
 * The sizes of one 2-D pooling, NCHW: a {@code kernelHeight x kernelWidth} window moved by
 * {@code stride} over the input padded by {@code padding} on every side.
 *
 * <p>Output {@code [batch, channels, outHeight, outWidth]},
 * {@code outHeight = (inHeight + 2 * padding - kernelHeight) / stride + 1} (floor, as PyTorch).
 * Max pooling ignores padded positions; average pooling divides by the full window area
 * {@code kernelHeight * kernelWidth}, padding counted as zeros (PyTorch's {@code count_include_pad=True}).
 */
public record Pool2dGeometry(int batch, int channels, int inHeight, int inWidth,
                             int kernelHeight, int kernelWidth, int stride, int padding) {
    public Pool2dGeometry {
        if (batch < 1 || channels < 1 || inHeight < 1 || inWidth < 1 || kernelHeight < 1 || kernelWidth < 1
                || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("pool2d: bad geometry " + describe(batch, channels, inHeight, inWidth,
                    kernelHeight, kernelWidth, stride, padding) + " (sizes and stride must be >= 1, padding >= 0)");
        }
        if (2 * padding > Math.min(kernelHeight, kernelWidth)) {
            throw new IllegalArgumentException("pool2d: padding " + padding + " is more than half the window "
                    + kernelHeight + "x" + kernelWidth + " (a window could hold only padding)");
        }
        if (inHeight + 2 * padding < kernelHeight || inWidth + 2 * padding < kernelWidth) {
            throw new IllegalArgumentException("pool2d: window " + kernelHeight + "x" + kernelWidth
                    + " is larger than the padded input " + (inHeight + 2 * padding) + "x" + (inWidth + 2 * padding));
        }
    }

    public int outHeight() {
        return (inHeight + 2 * padding - kernelHeight) / stride + 1;
    }

    public int outWidth() {
        return (inWidth + 2 * padding - kernelWidth) / stride + 1;
    }

    public long inputSize() {
        return (long) batch * channels * inHeight * inWidth;
    }

    public long outputSize() {
        return (long) batch * channels * outHeight() * outWidth();
    }

    @Override
    public String toString() {
        return describe(batch, channels, inHeight, inWidth, kernelHeight, kernelWidth, stride, padding);
    }

    private static String describe(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        return "input [" + n + ", " + c + ", " + h + ", " + w + "], window " + kh + "x" + kw + ", stride " + s
                + ", padding " + p;
    }
}
