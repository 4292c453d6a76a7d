package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;

/**
 * Adaptive average pooling of [N, C, H, W] to [N, C, outHeight, outWidth], as PyTorch's
 * {@code nn.AdaptiveAvgPool2d((outHeight, outWidth))}: the windows are PyTorch's (see
 * {@code Ops.adaptiveAvgPool2d}), so any input size >= 1 works (the identity when it equals
 * the output size, a uniform pooling when the output size divides it, a repetition when it
 * divides the output size). ResNet's {@code avgpool} is 1 × 1, AlexNet's 6 × 6.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outHeight;
    private final int outWidth;

    public AdaptiveAvgPool2d(int outHeight, int outWidth) {
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size " + outHeight + "x" + outWidth
                    + "; both sizes must be >= 1");
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.adaptiveAvgPool2d(x, outHeight, outWidth);
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(" + outHeight + "x" + outWidth + ")";
    }
}
