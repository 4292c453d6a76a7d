package org.deephash4j.zoo;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.nn.AdaptiveAvgPool2d;
import org.deephash4j.nn.BatchNorm2d;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.MaxPool2d;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.tensor.Tensor;

/**
 * ResNet-18 (He et al. 2016) laid out exactly as {@code torchvision.models.resnet18}, without its
 * final classifier {@code fc}: images [N, 3, H, W] in, the globally pooled features [N, 512] out,
 * for a hashing head to take.
 * <pre>
 *   conv1    7x7, 64, stride 2, padding 3, no bias      H -> ceil(H / 2)
 *   bn1, relu
 *   maxpool  3x3, stride 2, padding 1                   -> ceil(H / 4)
 *   layer1   2 x BasicBlock(64)                         -> ceil(H / 4)
 *   layer2   2 x BasicBlock(128), the first stride 2    -> ceil(H / 8)
 *   layer3   2 x BasicBlock(256), the first stride 2    -> ceil(H / 16)
 *   layer4   2 x BasicBlock(512), the first stride 2    -> ceil(H / 32)
 *   avgpool  global average pooling, flattened          -> [N, 512]
 * </pre>
 * Parameter and buffer names are torchvision's state_dict keys ({@code conv1.weight},
 * {@code bn1.running_mean}, {@code layer1.0.conv1.weight}, {@code layer2.0.downsample.0.weight},
 * {@code layer4.1.bn2.num_batches_tracked}, ...), in the same order ({@link #stateByName()}), so a
 * torchvision state_dict maps by name; its {@code fc.weight} and {@code fc.bias} have no place here.
 *
 * <p>Input size: any H, W >= 1, as in torchvision (the last stage sees a ceil(H/32) x ceil(W/32)
 * map; 224 gives 7 x 7, 64 gives 2 x 2, 32 and below 1 x 1). In training mode batch
 * normalisation needs more than one value per channel, so a batch of one image needs H or W
 * above 32. Initialised as torchvision: every convolution normal with std √(2 / fan-out)
 * ({@code kaiming_normal_}, mode fan_out, ReLU), every batch normalisation weight 1, bias 0;
 * the draws come from {@code seed} (torchvision's come from PyTorch's generator, so the
 * distributions match, not the values).
 */
public final class ResNet18 extends Module {
    /** Width of the feature vector: the channels of layer4. */
    public static final int FEATURES = 512;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential layer1;
    private final Sequential layer2;
    private final Sequential layer3;
    private final Sequential layer4;
    private final AdaptiveAvgPool2d avgpool;

    /** A freshly initialised ResNet-18 on {@code backend}; the same seed gives the same weights. */
    public ResNet18(Backend backend, long seed) {
        conv1 = registerModule("conv1", BasicBlock.convolution(backend, 3, 64, 7, 2, 3, CounterRandom.bits(seed, 0)));
        bn1 = registerModule("bn1", new BatchNorm2d(backend, 64));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", new MaxPool2d(3, 3, 2, 1));
        layer1 = registerModule("layer1", stage(backend, 64, 64, 1, CounterRandom.bits(seed, 1)));
        layer2 = registerModule("layer2", stage(backend, 64, 128, 2, CounterRandom.bits(seed, 2)));
        layer3 = registerModule("layer3", stage(backend, 128, 256, 2, CounterRandom.bits(seed, 3)));
        layer4 = registerModule("layer4", stage(backend, 256, 512, 2, CounterRandom.bits(seed, 4)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
    }

    /** Two basic blocks, the first from inChannels with the given stride (torchvision's {@code _make_layer}). */
    private static Sequential stage(Backend backend, int inChannels, int outChannels, int stride, long seed) {
        return new Sequential(new BasicBlock(backend, inChannels, outChannels, stride, CounterRandom.bits(seed, 0)),
                new BasicBlock(backend, outChannels, outChannels, 1, CounterRandom.bits(seed, 1)));
    }

    /** [N, 3, H, W] to the pooled features [N, 512]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != 3) {
            throw new IllegalArgumentException("resnet18: input " + x.shape() + " must be [N, 3, H, W] (RGB images)");
        }
        Tensor h = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        h = layer4.forward(layer3.forward(layer2.forward(layer1.forward(h))));
        return Ops.flatten(avgpool.forward(h));
    }

    /** Width of the feature vector, {@value #FEATURES}. */
    public int features() {
        return FEATURES;
    }

    @Override
    public String toString() {
        return "ResNet18(features " + FEATURES + ")";
    }
}
