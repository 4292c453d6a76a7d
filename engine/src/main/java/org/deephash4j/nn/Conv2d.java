package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * A 2-D convolution layer: input [N, inC, H, W], weight [outC, inC, kH, kW], bias [outC]
 * (optional), the same stride and zero padding on both axes; output
 * [N, outC, (H + 2p - kH) / s + 1, (W + 2p - kW) / s + 1]. Initialised as PyTorch's
 * {@code nn.Conv2d}: weight and bias uniform on ±1/√(inC · kH · kW), from the seed.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    /** Square kernel, with a bias. */
    public Conv2d(Backend backend, int inChannels, int outChannels, int kernelSize, int stride, int padding, long seed) {
        this(backend, inChannels, outChannels, kernelSize, kernelSize, stride, padding, true, seed);
    }

    public Conv2d(Backend backend, int inChannels, int outChannels, int kernelHeight, int kernelWidth,
                  int stride, int padding, boolean withBias, long seed) {
        if (inChannels < 1 || outChannels < 1 || kernelHeight < 1 || kernelWidth < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: inC = " + inChannels + ", outC = " + outChannels + ", kernel "
                    + kernelHeight + "x" + kernelWidth + ", stride " + stride + ", padding " + padding
                    + " (sizes and stride must be >= 1, padding >= 0)");
        }
        this.inChannels = inChannels;
        this.stride = stride;
        this.padding = padding;
        float bound = (float) (1.0 / Math.sqrt((double) inChannels * kernelHeight * kernelWidth));
        weight = registerParameter(new Parameter("weight", Init.uniform(
                Tensors.zeros(backend, outChannels, inChannels, kernelHeight, kernelWidth), -bound, bound, seed)));
        bias = withBias ? registerParameter(new Parameter("bias",
                Init.uniform(Tensors.zeros(backend, outChannels), -bound, bound, CounterRandom.bits(seed, 1)))) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor w = weight.tensor();
        if (x.rank() != 4) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " must be [N, C, H, W] for weight "
                    + w.shape() + " (weight is [outC, inC, kH, kW])");
        }
        if (x.dim(1) != inChannels) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " has " + x.dim(1)
                    + " channels but weight " + w.shape() + " expects " + inChannels + " (weight is [outC, inC, kH, kW])");
        }
        return Ops.conv2d(x, w, bias == null ? null : bias.tensor(), stride, padding);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Conv2d(" + weight.tensor().shape() + ", stride " + stride + ", padding " + padding + ")";
    }
}
