package org.deephash4j.zoo;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.nn.BatchNorm2d;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Init;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.tensor.Tensor;

/**
 * ResNet's basic block (He et al. 2016, Figure 2 left), laid out as torchvision's
 * {@code torchvision.models.resnet.BasicBlock}:
 * <pre>
 *   out = relu(bn1(conv1(x)))            conv1: 3x3, stride s, padding 1, no bias
 *   out = bn2(conv2(out))                conv2: 3x3, stride 1, padding 1, no bias
 *   out = relu(out + shortcut(x))        shortcut: x itself, or downsample = conv 1x1 stride s (no bias) + BN
 * </pre>
 * The downsample branch exists when the stride is not 1 or the channel count changes. Children
 * are registered in torchvision's order (conv1, bn1, relu, conv2, bn2, downsample), so the
 * names are torchvision's: {@code conv1.weight}, {@code bn1.running_mean},
 * {@code downsample.0.weight}, {@code downsample.1.running_var}, ...
 */
public final class BasicBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /**
     * A block from inChannels to outChannels; convolutions drawn as torchvision draws them
     * (normal, std √(2 / fan-out)), convolution i of the block from seed {@code CounterRandom.bits(seed, i)};
     * batch normalisation starts at weight 1, bias 0.
     */
    public BasicBlock(Backend backend, int inChannels, int outChannels, int stride, long seed) {
        conv1 = registerModule("conv1", convolution(backend, inChannels, outChannels, 3, stride, 1,
                CounterRandom.bits(seed, 0)));
        bn1 = registerModule("bn1", new BatchNorm2d(backend, outChannels));
        relu = registerModule("relu", new ReLU());
        conv2 = registerModule("conv2", convolution(backend, outChannels, outChannels, 3, 1, 1,
                CounterRandom.bits(seed, 1)));
        bn2 = registerModule("bn2", new BatchNorm2d(backend, outChannels));
        downsample = stride != 1 || inChannels != outChannels
                ? registerModule("downsample", new Sequential(
                        convolution(backend, inChannels, outChannels, 1, stride, 0, CounterRandom.bits(seed, 2)),
                        new BatchNorm2d(backend, outChannels)))
                : null;
    }

    /** A bias-free convolution initialised as torchvision's ResNet does (kaiming normal, fan-out, ReLU gain). */
    static Conv2d convolution(Backend backend, int in, int out, int kernel, int stride, int padding, long seed) {
        Conv2d conv = new Conv2d(backend, in, out, kernel, kernel, stride, padding, false, seed);
        Init.kaimingNormalFanOut(conv.weight().tensor(), CounterRandom.bits(seed, 7));
        return conv;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = bn2.forward(conv2.forward(out));
        Tensor shortcut = downsample == null ? x : downsample.forward(x);
        return relu.forward(Ops.add(out, shortcut));
    }

    /** True when the shortcut is a 1x1 convolution and batch normalisation, false for the identity. */
    public boolean hasDownsample() {
        return downsample != null;
    }

    @Override
    public String toString() {
        return "BasicBlock(" + conv1 + (downsample == null ? "" : ", downsample") + ")";
    }
}
