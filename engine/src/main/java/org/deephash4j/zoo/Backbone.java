package org.deephash4j.zoo;

import java.util.Locale;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.InputShape;
import org.deephash4j.nn.AvgPool2d;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Flatten;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.MaxPool2d;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;

/**
 * The feature networks of the model zoo: an image batch [N, C, H, W] in, a feature batch
 * [N, {@link #features()}] out; the hashing method's head goes on top.
 *
 * <ul>
 * <li>{@code lenet} (28x28 grey: MNIST, Fashion-MNIST), the network of the reproduction protocol:
 *   conv 5x5 32 pad 2, ReLU, max-pool 2 (28 to 14); conv 5x5 64 pad 2, ReLU, max-pool 2 (14 to 7);
 *   flatten 64 * 7 * 7 = 3136; fully connected 3136 to 500, ReLU.</li>
 * <li>{@code cifarnet} (32x32 colour: CIFAR-10), the DSH network of METHODS.md §8.2 without its
 *   LRN layers: conv 5x5 32 pad 2, max-pool 3 stride 2 pad 1, ReLU (32 to 16); conv 5x5 32 pad 2,
 *   ReLU, avg-pool 3/2 pad 1 (to 8); conv 5x5 64 pad 2, ReLU, avg-pool 3/2 pad 1 (to 4);
 *   flatten 1024; fully connected 1024 to 500, ReLU. Padding 1 gives Caffe's ceil-mode sizes
 *   (16, 8, 4) with PyTorch-style floor arithmetic.</li>
 * <li>{@code resnet18} ({@link ResNet18}) and {@code alexnet} ({@link AlexNet}), laid out as
 *   torchvision's, for RGB images of a size the user or the data chooses (checkpoints record it as
 *   {@code input}); their parameters are named as torchvision's state_dict keys, so pretrained
 *   weights load by name ({@code HashingModel.loadPretrainedBackbone}), and their inputs are
 *   normalised by ImageNet's mean and standard deviation.</li>
 * </ul>
 * lenet and cifarnet take one fixed size; their layers are initialised as PyTorch's defaults,
 * layer i from seed {@link #layerSeed}(seed, i).
 */
public enum Backbone {
    LENET("lenet", 1, 28, 28, 500, true, 28),
    CIFARNET("cifarnet", 3, 32, 32, 500, true, 32),
    RESNET18("resnet18", 3, 224, 224, ResNet18.FEATURES, false, 1),
    ALEXNET("alexnet", 3, 224, 224, AlexNet.FEATURES, false, AlexNet.MIN_SIZE);

    private final String id;
    private final int channels;
    private final int height;
    private final int width;
    private final int features;
    private final boolean fixedSize;
    private final int minSize;

    Backbone(String id, int channels, int height, int width, int features, boolean fixedSize, int minSize) {
        this.id = id;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.features = features;
        this.fixedSize = fixedSize;
        this.minSize = minSize;
    }

    /** The name on the command line and in checkpoints. */
    public String id() {
        return id;
    }

    /** Channels of the input: 1 for lenet, 3 for the others. */
    public int channels() {
        return channels;
    }

    /** Height of the default input (the only one for lenet and cifarnet; 224 for resnet18 and alexnet). */
    public int height() {
        return height;
    }

    /** Width of the default input. */
    public int width() {
        return width;
    }

    /** The input size a model gets when none is chosen: the fixed one, or 3x224x224 for the torchvision networks. */
    public InputShape defaultInput() {
        return new InputShape(channels, height, width);
    }

    /** True for the networks that take one input size only (lenet, cifarnet). */
    public boolean fixedSize() {
        return fixedSize;
    }

    /** True for the networks laid out as torchvision's (resnet18, alexnet): ImageNet normalisation, pretrained weights by name. */
    public boolean torchvision() {
        return !fixedSize;
    }

    /** The smallest height and width the network accepts. */
    public int minSize() {
        return minSize;
    }

    /**
     * Checks that {@code input} is a size this network takes: the fixed size for lenet and cifarnet;
     * 3 channels and at least {@link #minSize()} pixels a side for resnet18 and alexnet.
     */
    public void checkInput(InputShape input) {
        if (fixedSize) {
            if (!input.equals(defaultInput())) {
                throw new IllegalArgumentException("model " + id + " takes " + inputText() + " images only, not " + input
                        + "; resnet18 and alexnet take other sizes");
            }
            return;
        }
        if (input.channels() != channels) {
            throw new IllegalArgumentException("model " + id + " takes RGB input (3 channels), not " + input
                    + "; grey images are replicated to 3 channels: give --image-size 3x" + input.height() + "x" + input.width());
        }
        if (input.height() < minSize || input.width() < minSize) {
            throw new IllegalArgumentException("model " + id + " needs inputs of at least " + minSize + "x" + minSize + " pixels, not "
                    + input + (this == ALEXNET ? " (its three 3x3 stride-2 poolings need a 3x3 map each)" : ""));
        }
    }

    /** Width of the feature vector the head receives. */
    public int features() {
        return features;
    }

    /** Input size as {@code 1x28x28}. */
    public String inputText() {
        return channels + "x" + height + "x" + width;
    }

    /** The backbone for a name ({@code lenet}, {@code cifarnet}, {@code resnet18}, {@code alexnet}), case-insensitive. */
    public static Backbone byName(String name) {
        for (Backbone b : values()) if (b.id.equals(name.toLowerCase(Locale.ROOT))) return b;
        throw new IllegalArgumentException("unknown model '" + name + "'; known: lenet (28x28 grey), cifarnet (32x32 colour), "
                + "resnet18 and alexnet (RGB of a chosen size, torchvision's layout)");
    }

    /** The fixed-size backbone that fits images of this size (lenet or cifarnet). */
    public static Backbone forInput(int channels, int height, int width) {
        for (Backbone b : values()) {
            if (b.fixedSize && b.channels == channels && b.height == height && b.width == width) return b;
        }
        throw new IllegalArgumentException("no model for " + channels + "x" + height + "x" + width
                + " images; models take 1x28x28 (lenet) or 3x32x32 (cifarnet), or give --model resnet18 or alexnet"
                + " with --image-size 3xHxW");
    }

    /**
     * A freshly initialised network: a {@link Sequential} for lenet and cifarnet, a {@link ResNet18}
     * or an {@link AlexNet} (torchvision's names) for the others.
     */
    public Module build(Backend backend, long seed) {
        return switch (this) {
            case RESNET18 -> new ResNet18(backend, seed);
            case ALEXNET -> new AlexNet(backend, seed);
            // Max pooling before ReLU: the same values and gradients as ReLU then pooling (the maximum
            // commutes with the non-decreasing ReLU), with ReLU on a quarter of the elements.
            case LENET -> new Sequential(
                    new Conv2d(backend, 1, 32, 5, 1, 2, layerSeed(seed, 0)),
                    new MaxPool2d(2),
                    new ReLU(),
                    new Conv2d(backend, 32, 64, 5, 1, 2, layerSeed(seed, 1)),
                    new MaxPool2d(2),
                    new ReLU(),
                    new Flatten(),
                    new Linear(backend, 64 * 7 * 7, 500, layerSeed(seed, 2)),
                    new ReLU());
            case CIFARNET -> new Sequential(
                    new Conv2d(backend, 3, 32, 5, 1, 2, layerSeed(seed, 0)),
                    new MaxPool2d(3, 3, 2, 1),
                    new ReLU(),
                    new Conv2d(backend, 32, 32, 5, 1, 2, layerSeed(seed, 1)),
                    new ReLU(),
                    new AvgPool2d(3, 3, 2, 1),
                    new Conv2d(backend, 32, 64, 5, 1, 2, layerSeed(seed, 2)),
                    new ReLU(),
                    new AvgPool2d(3, 3, 2, 1),
                    new Flatten(),
                    new Linear(backend, 64 * 4 * 4, 500, layerSeed(seed, 3)),
                    new ReLU());
        };
    }

    /** Seed of layer {@code index}: SplitMix64's finaliser of seed + index·golden gamma, so layers draw independent streams. */
    public static long layerSeed(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
