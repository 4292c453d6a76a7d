package org.deephash4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.model.HashingModel;

/**
 * Everything that decides a training run, stored in the checkpoint so a run can be resumed and
 * described: the model and method, the code length, the optimiser, the data split and the seeds.
 *
 * @param model         backbone name ({@code lenet}, {@code cifarnet}, {@code resnet18}, {@code alexnet})
 * @param method        method name (DLBHC, DHN, HashNet, DSDH, ExpH)
 * @param bits          code length K
 * @param epochs        passes over the training images
 * @param batchSize     images per step
 * @param learningRate  Adam's step size
 * @param weightDecay   L2 weight decay added to the gradient
 * @param seed          initialisation and shuffling seed
 * @param splitSeed     seed of the query / train / database split
 * @param device        backend name ({@code cpu}, {@code opencl}, {@code opencl:N})
 * @param backboneLrScale the backbone's learning rate as a multiple of the head's (DHN and HashNet fine-tune
 *                      the pretrained layers at 0.1 x the rate of the new ones); 1 trains all alike
 * @param freezeEpochs  epochs at the start during which the backbone is frozen: not updated, batch
 *                      normalisation and dropout in evaluation mode, only the head learns
 * @param augment       training images get a seeded random crop and horizontal flip ({@code InputPipeline});
 *                      false: the centre crop, as for encoding
 */
public record TrainConfig(String model, String method, int bits, int epochs, int batchSize, float learningRate,
                          float weightDecay, long seed, long splitSeed, String device, float backboneLrScale,
                          int freezeEpochs, boolean augment) {

    public TrainConfig {
        if (bits < 1) throw new IllegalArgumentException("--bits " + bits + ": expected at least 1");
        if (epochs < 1) throw new IllegalArgumentException("--epochs " + epochs + ": expected at least 1");
        if (batchSize < 2) throw new IllegalArgumentException("--batch " + batchSize + ": expected at least 2 (pairwise losses need pairs)");
        if (!(learningRate > 0)) throw new IllegalArgumentException("--lr " + learningRate + ": expected a positive number");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("--weight-decay " + weightDecay + ": expected >= 0");
        if (!(backboneLrScale >= 0) || Float.isInfinite(backboneLrScale)) {
            throw new IllegalArgumentException("--backbone-lr-scale " + backboneLrScale + ": expected a number >= 0");
        }
        if (freezeEpochs < 0) throw new IllegalArgumentException("--freeze-epochs " + freezeEpochs + ": expected >= 0");
    }

    /** A run that trains backbone and head alike, without freezing or augmentation. */
    public TrainConfig(String model, String method, int bits, int epochs, int batchSize, float learningRate, float weightDecay,
                       long seed, long splitSeed, String device) {
        this(model, method, bits, epochs, batchSize, learningRate, weightDecay, seed, splitSeed, device, 1f, 0, false);
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
        m.put("train.backbone_lr_scale", Float.toString(backboneLrScale));
        m.put("train.freeze_epochs", Integer.toString(freezeEpochs));
        m.put("train.augment", Boolean.toString(augment));
        return m;
    }

    /** Reads back what {@link #toMetadata} wrote (files written before the fine-tuning fields: scale 1, no freezing, no augmentation). */
    public static TrainConfig fromMetadata(Map<String, String> m) {
        try {
            return new TrainConfig(need(m, "model"), need(m, "method"), Integer.parseInt(need(m, "bits")),
                    Integer.parseInt(need(m, "train.epochs")), Integer.parseInt(need(m, "train.batch")),
                    Float.parseFloat(need(m, "train.lr")), Float.parseFloat(need(m, "train.weight_decay")),
                    Long.parseLong(need(m, "train.seed")), Long.parseLong(need(m, "split.seed")), need(m, "train.device"),
                    Float.parseFloat(m.getOrDefault("train.backbone_lr_scale", "1.0")),
                    Integer.parseInt(m.getOrDefault("train.freeze_epochs", "0")),
                    Boolean.parseBoolean(m.getOrDefault("train.augment", "false")));
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
        return new TrainConfig(model, method, bits, newEpochs, batchSize, learningRate, weightDecay, seed, splitSeed, device,
                backboneLrScale, freezeEpochs, augment);
    }

    /** Same run with another Adam learning rate. */
    public TrainConfig withLearningRate(float rate) {
        return new TrainConfig(model, method, bits, epochs, batchSize, rate, weightDecay, seed, splitSeed, device,
                backboneLrScale, freezeEpochs, augment);
    }

    /** Same run, recorded as trained on the split drawn with {@code newSplitSeed} (eval and encode read it back). */
    public TrainConfig withSplitSeed(long newSplitSeed) {
        return new TrainConfig(model, method, bits, epochs, batchSize, learningRate, weightDecay, seed, newSplitSeed, device,
                backboneLrScale, freezeEpochs, augment);
    }

    /** Same run, fine-tuning: the backbone at {@code scale} x the learning rate, frozen for the first {@code frozen} epochs. */
    public TrainConfig withFineTuning(float scale, int frozen) {
        return new TrainConfig(model, method, bits, epochs, batchSize, learningRate, weightDecay, seed, splitSeed, device,
                scale, frozen, augment);
    }

    /** Same run with training augmentation (random crop and flip) on or off. */
    public TrainConfig withAugment(boolean on) {
        return new TrainConfig(model, method, bits, epochs, batchSize, learningRate, weightDecay, seed, splitSeed, device,
                backboneLrScale, freezeEpochs, on);
    }
}
