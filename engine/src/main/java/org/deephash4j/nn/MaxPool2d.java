package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;

/** Max pooling over kH × kW windows of [N, C, H, W] with a stride and padding (padded positions ignored). */
public final class MaxPool2d extends Module {
    private final int kernelHeight;
    private final int kernelWidth;
    private final int stride;
    private final int padding;

    /** A square window with stride = window size and no padding (LeNet's 2 × 2 pooling). */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelHeight, int kernelWidth, int stride, int padding) {
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.maxPool2d(x, kernelHeight, kernelWidth, stride, padding);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + kernelHeight + "x" + kernelWidth + ", stride " + stride + ", padding " + padding + ")";
    }
}
