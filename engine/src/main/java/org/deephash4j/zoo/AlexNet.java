package org.deephash4j.zoo;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.nn.AdaptiveAvgPool2d;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Dropout;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.MaxPool2d;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.tensor.Tensor;

/**
 * AlexNet (Krizhevsky et al. 2012, in the one-tower form of torchvision) laid out exactly as
 * {@code torchvision.models.alexnet}, without the last classifier layer {@code classifier.6}:
 * images [N, 3, H, W] in, the 4096 features of fc7 after its ReLU out (DLBHC, DHN and HashNet put
 * their hash layer there).
 * <pre>
 *   features.0   conv 11x11, 64, stride 4, padding 2     features.1 ReLU   features.2 max-pool 3x3 stride 2
 *   features.3   conv 5x5, 192, padding 2                features.4 ReLU   features.5 max-pool 3x3 stride 2
 *   features.6   conv 3x3, 384, padding 1                features.7 ReLU
 *   features.8   conv 3x3, 256, padding 1                features.9 ReLU
 *   features.10  conv 3x3, 256, padding 1                features.11 ReLU  features.12 max-pool 3x3 stride 2
 *   avgpool      adaptive average pooling to 6 x 6, flattened to 9216
 *   classifier.0 dropout 0.5   classifier.1 linear 9216 -> 4096   classifier.2 ReLU
 *   classifier.3 dropout 0.5   classifier.4 linear 4096 -> 4096   classifier.5 ReLU
 * </pre>
 * Parameter names are torchvision's state_dict keys ({@code features.0.weight},
 * {@code classifier.1.weight}, ...); {@code classifier.6.weight} and {@code classifier.6.bias}
 * have no place here.
 *
 * <p>Input size: H, W >= 63, as in torchvision (the three poolings need a 3 x 3 map; 63 and 64
 * give a 1 x 1 map, which the adaptive pooling repeats to 6 x 6, as PyTorch does; 224 gives
 * 6 x 6). Initialised as PyTorch's defaults for {@code nn.Conv2d} and {@code nn.Linear} (weight
 * and bias uniform on ±1/√fan-in), as torchvision's AlexNet is, from {@code seed}. The two
 * dropout layers draw their masks from seeds {@link #dropoutSeed}(seed, 0) and (seed, 1)
 * ({@link Dropout}: call k of a layer uses {@code CounterRandom.bits(thatSeed, k)}).
 */
public final class AlexNet extends Module {
    /** Width of the feature vector: fc7. */
    public static final int FEATURES = 4096;
    /** The smallest height and width the three poolings accept. */
    public static final int MIN_SIZE = 63;

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    /** A freshly initialised AlexNet on {@code backend}; the same seed gives the same weights and dropout masks. */
    public AlexNet(Backend backend, long seed) {
        features = registerModule("features", new Sequential(
                new Conv2d(backend, 3, 64, 11, 4, 2, CounterRandom.bits(seed, 0)), new ReLU(), new MaxPool2d(3, 3, 2, 0),
                new Conv2d(backend, 64, 192, 5, 1, 2, CounterRandom.bits(seed, 1)), new ReLU(), new MaxPool2d(3, 3, 2, 0),
                new Conv2d(backend, 192, 384, 3, 1, 1, CounterRandom.bits(seed, 2)), new ReLU(),
                new Conv2d(backend, 384, 256, 3, 1, 1, CounterRandom.bits(seed, 3)), new ReLU(),
                new Conv2d(backend, 256, 256, 3, 1, 1, CounterRandom.bits(seed, 4)), new ReLU(), new MaxPool2d(3, 3, 2, 0)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(0.5f, dropoutSeed(seed, 0)), new Linear(backend, 256 * 6 * 6, 4096, CounterRandom.bits(seed, 5)),
                new ReLU(),
                new Dropout(0.5f, dropoutSeed(seed, 1)), new Linear(backend, 4096, 4096, CounterRandom.bits(seed, 6)),
                new ReLU()));
    }

    /** The seed of dropout layer {@code index} (0: classifier.0, 1: classifier.3) of the AlexNet built from {@code seed}. */
    public static long dropoutSeed(long seed, int index) {
        return CounterRandom.bits(seed, 100 + index);
    }

    /** [N, 3, H, W] (H, W >= 63) to the fc7 features [N, 4096]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != 3) {
            throw new IllegalArgumentException("alexnet: input " + x.shape() + " must be [N, 3, H, W] (RGB images)");
        }
        if (x.dim(2) < MIN_SIZE || x.dim(3) < MIN_SIZE) {
            throw new IllegalArgumentException("alexnet: input " + x.shape() + " is " + x.dim(2) + "x" + x.dim(3)
                    + "; AlexNet needs images of at least " + MIN_SIZE + "x" + MIN_SIZE
                    + " (its three 3x3 stride-2 poolings need a 3x3 map each); resize the images, e.g. to 224x224");
        }
        return classifier.forward(Ops.flatten(avgpool.forward(features.forward(x))));
    }

    /** Width of the feature vector, {@value #FEATURES}. */
    public int features() {
        return FEATURES;
    }

    @Override
    public String toString() {
        return "AlexNet(features " + FEATURES + ")";
    }
}
