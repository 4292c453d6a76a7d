package org.deephash4j.zoo;

import java.util.Locale;
import org.deephash4j.backend.Backend;
import org.deephash4j.nn.AvgPool2d;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Flatten;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.MaxPool2d;
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
 * </ul>
 * Layers are initialised as PyTorch's defaults, layer i from seed {@link #layerSeed}(seed, i).
 */
public enum Backbone {
    LENET("lenet", 1, 28, 28, 500),
    CIFARNET("cifarnet", 3, 32, 32, 500);

    private final String id;
    private final int channels;
    private final int height;
    private final int width;
    private final int features;

    Backbone(String id, int channels, int height, int width, int features) {
        this.id = id;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.features = features;
    }

    /** The name on the command line and in checkpoints. */
    public String id() {
        return id;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Width of the feature vector the head receives. */
    public int features() {
        return features;
    }

    /** Input size as {@code 1x28x28}. */
    public String inputText() {
        return channels + "x" + height + "x" + width;
    }

    /** The backbone for a name ({@code lenet}, {@code cifarnet}), case-insensitive. */
    public static Backbone byName(String name) {
        for (Backbone b : values()) if (b.id.equals(name.toLowerCase(Locale.ROOT))) return b;
        throw new IllegalArgumentException("unknown model '" + name + "'; known: lenet (28x28 grey), cifarnet (32x32 colour)");
    }

    /** The backbone that fits images of this size. */
    public static Backbone forInput(int channels, int height, int width) {
        for (Backbone b : values()) if (b.channels == channels && b.height == height && b.width == width) return b;
        throw new IllegalArgumentException("no model for " + channels + "x" + height + "x" + width
                + " images; models take 1x28x28 (lenet) or 3x32x32 (cifarnet)");
    }

    /** A freshly initialised network. */
    public Sequential build(Backend backend, long seed) {
        return switch (this) {
            case LENET -> new Sequential(
                    new Conv2d(backend, 1, 32, 5, 1, 2, layerSeed(seed, 0)),
                    new ReLU(),
                    new MaxPool2d(2),
                    new Conv2d(backend, 32, 64, 5, 1, 2, layerSeed(seed, 1)),
                    new ReLU(),
                    new MaxPool2d(2),
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
