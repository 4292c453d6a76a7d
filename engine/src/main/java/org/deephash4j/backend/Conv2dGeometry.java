package org.deephash4j.backend;

/**
 * The sizes of one 2-D convolution, NCHW, square stride and zero padding on both axes.
 *
 * <p>Input {@code [batch, inChannels, inHeight, inWidth]}, weight
 * {@code [outChannels, inChannels, kernelHeight, kernelWidth]}, bias {@code [outChannels]},
 * output {@code [batch, outChannels, outHeight, outWidth]} with
 * {@code outHeight = (inHeight + 2 * padding - kernelHeight) / stride + 1} (floor, as PyTorch;
 * Caffe rounds pooling up, not convolution).
 */
public record Conv2dGeometry(int batch, int inChannels, int inHeight, int inWidth,
                             int outChannels, int kernelHeight, int kernelWidth,
                             int stride, int padding) {
    public Conv2dGeometry {
        if (batch < 1 || inChannels < 1 || inHeight < 1 || inWidth < 1 || outChannels < 1
                || kernelHeight < 1 || kernelWidth < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: bad geometry " + describe(batch, inChannels, inHeight, inWidth,
                    outChannels, kernelHeight, kernelWidth, stride, padding)
                    + " (sizes and stride must be >= 1, padding >= 0)");
        }
        if (inHeight + 2 * padding < kernelHeight || inWidth + 2 * padding < kernelWidth) {
            throw new IllegalArgumentException("conv2d: kernel " + kernelHeight + "x" + kernelWidth
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
        return (long) batch * inChannels * inHeight * inWidth;
    }

    public long weightSize() {
        return (long) outChannels * inChannels * kernelHeight * kernelWidth;
    }

    public long outputSize() {
        return (long) batch * outChannels * outHeight() * outWidth();
    }

    @Override
    public String toString() {
        return describe(batch, inChannels, inHeight, inWidth, outChannels, kernelHeight, kernelWidth, stride, padding);
    }

    private static String describe(int n, int c, int h, int w, int oc, int kh, int kw, int s, int p) {
        return "input [" + n + ", " + c + ", " + h + ", " + w + "], weight [" + oc + ", " + c + ", " + kh + ", " + kw
                + "], stride " + s + ", padding " + p;
    }
}
