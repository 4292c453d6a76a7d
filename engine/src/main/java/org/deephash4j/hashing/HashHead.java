package org.deephash4j.hashing;

import org.deephash4j.backend.Backend;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.Module;
import org.deephash4j.tensor.Tensor;

/**
 * The head of a hashing method: the hash layer z = W_h f + c (Linear featureSize → K, child
 * "hash"), and optionally the classifiers DLBHC and ExpH train with: "classifier" (K → C, on the
 * activated code) and "pretrain" (featureSize → C, ExpH's first pre-training stage).
 * {@link #forward} returns z.
 */
public final class HashHead extends Module {
    private final Linear hash;
    private final Linear classifier;
    private final Linear pretrain;

    HashHead(Backend backend, int featureSize, int bits, int classes, boolean withPretrain, long seed) {
        if (featureSize < 1) {
            throw new IllegalArgumentException("hash head: featureSize = " + featureSize + ", expected >= 1");
        }
        hash = registerModule("hash", new Linear(backend, featureSize, bits, seed));
        classifier = classes > 0 ? registerModule("classifier", new Linear(backend, bits, classes, seed + 1)) : null;
        pretrain = withPretrain ? registerModule("pretrain", new Linear(backend, featureSize, classes, seed + 2)) : null;
    }

    /** z [n, K] = hash layer of features [n, featureSize]. */
    @Override
    public Tensor forward(Tensor features) {
        return hash.forward(features);
    }

    public Linear hashLayer() {
        return hash;
    }

    /** K → C classifier, or null. */
    public Linear classifier() {
        return classifier;
    }

    /** featureSize → C classifier of ExpH's first pre-training stage, or null. */
    public Linear pretrainClassifier() {
        return pretrain;
    }
}
