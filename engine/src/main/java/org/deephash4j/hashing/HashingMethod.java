package org.deephash4j.hashing;

import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Labels;
import org.deephash4j.nn.Module;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.tensor.Tensor;

/**
 * A deep hashing method as a training loop sees it, without knowing which one it holds:
 * <pre>{@code
 * HashingMethod method = new HashNet(48);                 // or Dhn, Dsdh, Dlbhc, ExpH
 * Module head = method.head(backend, featureSize, seed);  // once; optimise backbone + head parameters
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     method.beforeEpoch(epoch);                          // DSDH per-epoch W/B steps, ExpH stage changes
 *     optimizer.setLearningRate(baseLr * method.learningRateScale());
 *     for (Batch b : batches) {
 *         try (TensorScope step = TensorScope.open()) {
 *             optimizer.zeroGrad();
 *             Tensor loss = method.loss(backbone.forward(b.images()), b.labels(), b.indices());
 *             Graph.backward(loss);
 *             optimizer.step();
 *             method.afterStep();                         // HashNet's continuation counter
 *         }
 *     }
 * }
 * BinaryCodes codes = method.codes(backbone.forward(images));   // under NoGrad; bit = hashOutputs >= 0
 * }</pre>
 * {@code labels} are the batch's labels, {@code indices} the batch's positions in the training
 * set (DSDH and HashNet's bank pairing keep per-example state; the others ignore them).
 */
public interface HashingMethod {

    /** "DLBHC", "DHN", "HashNet", "DSDH" or "ExpH". */
    String name();

    /** K, the code length. */
    int bits();

    /**
     * Builds the head this method puts on a backbone feature vector of {@code featureSize}
     * (the hash layer, and for DLBHC and ExpH the classifiers they train with) and returns it;
     * call once, then optimise its parameters together with the backbone's.
     */
    Module head(Backend backend, int featureSize, long seed);

    /** The head built by {@link #head(Backend, int, long)}. */
    Module head();

    /** The training loss of a batch: features [n, featureSize] from the backbone (differentiable). */
    Tensor loss(Tensor features, Labels labels, int[] indices);

    /** The hash-layer outputs z [n, K] for features [n, featureSize]; bit k of row i is z[i, k] &gt;= 0. */
    Tensor hashOutputs(Tensor features);

    /** The packed binary codes of features [n, featureSize]: sgn of {@link #hashOutputs}, sgn(0) = +1. */
    default BinaryCodes codes(Tensor features) {
        return HashHeadMethod.codesOf(hashOutputs(features));
    }

    /**
     * Features for re-ranking a Hamming candidate pool by Euclidean distance, or null when the
     * method has none. DLBHC returns its F7 features (the backbone output it is given).
     */
    default Tensor rerankFeatures(Tensor features) {
        return null;
    }

    /**
     * The method's constants a checkpoint records, so that a resumed or reloaded run trains on with
     * the same ones ({@link HashingMethods#create(String, int, Labels, Map)} reads them back); keys
     * start with the method's name in lower case. Empty for methods whose constants are fixed.
     */
    default Map<String, String> settings() {
        return Map.of();
    }

    /** Called once before each epoch (0-based). */
    default void beforeEpoch(int epoch) {
    }

    /** Called once after each optimizer step. */
    default void afterStep() {
    }

    /**
     * The per-example state a checkpoint must carry so that a resumed run continues exactly where
     * it stopped, by name, each a row-major [N, K] array over the N training examples (a copy):
     * DSDH's bank U and, once solved, its codes B; HashNet's bank with BANK pairing. Empty for
     * methods whose state follows from the epoch and step numbers alone.
     */
    default Map<String, float[]> trainingState() {
        return Map.of();
    }

    /**
     * Puts back what {@link #trainingState()} returned (the names it holds, each [N, K]); the
     * method says what is missing or of the wrong size.
     */
    default void restoreTrainingState(Map<String, float[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(name() + " keeps no training state, but was given " + state.keySet());
        }
    }

    /**
     * Adam's learning rate when the user gives none: 1e-3, or 1e-4 for the pairwise methods that
     * collapse to one code at 1e-3 when trained from scratch (DHN, DSDH). Each method says why.
     */
    default float defaultLearningRate() {
        return 1e-3f;
    }

    /** The loop multiplies its base learning rate by this in the current epoch (ExpH fine-tuning: 0.1). */
    default float learningRateScale() {
        return 1f;
    }

    /** Watches the hash-layer outputs of the training batches and warns when they collapse to one code. */
    CollapseDetector collapseDetector();
}
