package org.deephash4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.model.HashingModel;

/**
 * Everything that decides a training run, stored in the checkpoint so a run can be resumed and
 * described: the model and method, the code length, the optimiser, the data split and the seeds.
 *
 * @param model         backbone name ({@code lenet}, {@code cifarnet})
 * @param method        method name (DLBHC, DHN, HashNet, DSDH, ExpH)
 * @param bits          code length K
 * @param epochs        passes over the training images
 * @param batchSize     images per step
 * @param learningRate  Adam's step size
 * @param weightDecay   L2 weight decay added to the gradient
 * @param seed          initialisation and shuffling seed
 * @param splitSeed     seed of the query / train / database split
 * @param device        backend name ({@code cpu}, {@code opencl}, {@code opencl:N})
 */
public record TrainConfig(String model, String method, int bits, int epochs, int batchSize, float learningRate,
                          float weightDecay, long seed, long splitSeed, String device) {

    public TrainConfig {
        if (bits < 1) throw new IllegalArgumentException("--bits " + bits + ": expected at least 1");
        if (epochs < 1) throw new IllegalArgumentException("--epochs " + epochs + ": expected at least 1");
        if (batchSize < 2) throw new IllegalArgumentException("--batch " + batchSize + ": expected at least 2 (pairwise losses need pairs)");
        if (!(learningRate > 0)) throw new IllegalArgumentException("--lr " + learningRate + ": expected a positive number");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("--weight-decay " + weightDecay + ": expected >= 0");
    }

    /**
     * The protocol's settings for {@code model}: 20 epochs, batch 128, Adam at the method's default
     * rate, no weight decay, shuffling from the model's seed, split seed 0, on the model's backend.
     * Change one with the {@code with} methods.
     */
    public static TrainConfig defaults(HashingModel model) {
        return new TrainConfig(model.backbone().id(), model.method().name(), model.bits(), 20, 128,
                model.method().defaultLearningRate(), 0f, model.seed(), 0, model.backend().name());
    }

    /** The fields as strings, for checkpoint metadata. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("method", method);
        m.put("bits", Integer.toString(bits));
        m.put("train.epochs", Integer.toString(epochs));
        m.put("train.batch", Integer.toString(batchSize));
        m.put("train.optimizer", "Adam");
        m.put("train.lr", Float.toString(learningRate));
        m.put("train.weight_decay", Float.toString(weightDecay));
        m.put("train.seed", Long.toString(seed));
        m.put("split.seed", Long.toString(splitSeed));
        m.put("train.device", device);
        return m;
    }

    /** Reads back what {@link #toMetadata} wrote. */
    public static TrainConfig fromMetadata(Map<String, String> m) {
        try {
            return new TrainConfig(need(m, "model"), need(m, "method"), Integer.parseInt(need(m, "bits")),
                    Integer.parseInt(need(m, "train.epochs")), Integer.parseInt(need(m, "train.batch")),
                    Float.parseFloat(need(m, "train.lr")), Float.parseFloat(need(m, "train.weight_decay")),
                    Long.parseLong(need(m, "train.seed")), Long.parseLong(need(m, "split.seed")), need(m, "train.device"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint metadata holds a bad number: " + e.getMessage());
        }
    }

    private static String need(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalArgumentException("checkpoint metadata has no '" + key + "'; not a deephash4j checkpoint?");
        return v;
    }

    /** Same run with another epoch count (resume may extend a run). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(model, method, bits, newEpochs, batchSize, learningRate, weightDecay, seed, splitSeed, device);
    }

    /** Same run with another Adam learning rate. */
    public TrainConfig withLearningRate(float rate) {
        return new TrainConfig(model, method, bits, epochs, batchSize, rate, weightDecay, seed, splitSeed, device);
    }

    /** Same run, recorded as trained on the split drawn with {@code newSplitSeed} (eval and encode read it back). */
    public TrainConfig withSplitSeed(long newSplitSeed) {
        return new TrainConfig(model, method, bits, epochs, batchSize, learningRate, weightDecay, seed, newSplitSeed, device);
    }
}
