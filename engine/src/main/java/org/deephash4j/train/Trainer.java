package org.deephash4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Ops;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputPipeline;
import org.deephash4j.data.InputProfile;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.nn.Parameter;
import org.deephash4j.optim.Adam;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.zoo.Backbone;

/**
 * The training loop, the same for every method and backend (the contract of
 * {@link HashingMethod}): each epoch shuffles the training images with a seeded generator, and
 * each step runs forward, the method's loss, backward and an Adam step. It checks the loss and
 * every gradient for NaN or infinity at each step and stops with the epoch and step number, writes
 * a checkpoint at the end of each epoch (atomically), and can resume from one.
 *
 * <p>Inputs come from {@link InputPipeline} one batch at a time (the next one prepared while the
 * current step runs, {@link BatchPrefetch}): centre crops, or seeded random crops and flips when
 * {@link TrainConfig#augment()}. Fine-tuning as the papers do it: the backbone's parameters learn
 * at {@link TrainConfig#backboneLrScale()} x the rate (Adam's parameter groups), and during the
 * first {@link TrainConfig#freezeEpochs()} epochs the backbone is frozen: evaluated in evaluation
 * mode (batch normalisation on its running statistics, no dropout) without a graph, and left out
 * of Adam's step, so only the head learns. A run records the training images' {@link InputProfile}
 * in the model, and so in its checkpoints.
 */
public final class Trainer {
    private final HashingModel model;
    private final TrainConfig config;
    private final Progress progress;

    public Trainer(HashingModel model, TrainConfig config, Progress progress) {
        this.model = model;
        this.config = config;
        this.progress = progress;
    }

    /** A new run: trains on {@code data} images {@code train} for the configured epochs; see {@link #resume}. */
    public double run(Dataset data, int[] train, Path checkpoint) throws IOException {
        return run(data, train, 0, 0, null, null, checkpoint);
    }

    /**
     * Goes on from {@code saved}, a checkpoint this loop wrote (its weights already loaded into the
     * model): from the epoch after {@code train.epochs_done}, with Adam's moments and step count
     * and the method's per-example state (DSDH's bank and codes) as they were, so the run ends
     * exactly where an uninterrupted one would. {@code train} must be the same training images;
     * {@code savedName} names the checkpoint in error messages.
     */
    public double resume(Dataset data, int[] train, Checkpoint saved, String savedName, Path checkpoint) throws IOException {
        int epochsDone = (int) saved.requireLong("train.epochs_done", 0, Integer.MAX_VALUE);
        long stepsDone = saved.requireLong("train.steps_done", 0, Long.MAX_VALUE);
        return run(data, train, epochsDone, stepsDone, saved, savedName, checkpoint);
    }

    /**
     * Trains from epoch {@code startEpoch} having already done {@code stepsDone} steps, restoring
     * the training state from {@code saved} (named {@code savedName}) when it is not null, and writing {@code checkpoint}
     * after every epoch when it is not null. Returns the wall time in seconds.
     */
    private double run(Dataset data, int[] train, int startEpoch, long stepsDone, Checkpoint saved, String savedName,
                       Path checkpoint)
            throws IOException {
        model.checkInput(data);
        model.recordInputProfile(InputProfile.measure(data, train));
        HashingMethod method = model.method();
        int n = train.length;
        int batch = Math.min(config.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        if (n % batch == 1) stepsPerEpoch--;          // a last batch of one image has no pairs: dropped
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        for (long s = 0; s < stepsDone; s++) method.afterStep();   // replays HashNet's continuation counter
        long steps = stepsDone;
        long images = 0;
        long start = System.nanoTime();
        double lastFinite = Double.NaN;
        List<Parameter> backboneParameters = model.network().parameters();
        Preprocessing preprocessing = model.preprocessing();
        InputShape in = model.input();
        try (Adam adam = new Adam(model.parameters(), config.learningRate(), 0.9f, 0.999f, 1e-8f, config.weightDecay());
             BatchPrefetch batches = new BatchPrefetch()) {
            adam.setRateScale(backboneParameters, config.backboneLrScale());
            if (saved != null) TrainingState.restore(saved, savedName, model, adam);
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                boolean frozen = epoch < config.freezeEpochs();
                adam.setFrozen(backboneParameters, frozen);
                model.network().train(!frozen);
                int e = epoch;
                batches.use(config.augment() ? idx -> InputPipeline.augmented(data, idx, preprocessing, config.seed(), e)
                        : idx -> InputPipeline.centre(data, idx, preprocessing));
                method.beforeEpoch(epoch);
                adam.setLearningRate(config.learningRate() * method.learningRateScale());
                int[] order = train.clone();
                int[] position = new int[n];            // position in the training set, for per-example state (DSDH)
                for (int i = 0; i < n; i++) position[i] = i;
                shuffle(order, position, Backbone.layerSeed(config.seed(), 1000 + epoch));
                double epochLoss = 0;
                for (int step = 0; step < stepsPerEpoch; step++) {
                    int from = step * batch;
                    int to = step == stepsPerEpoch - 1 ? n : Math.min(n, from + batch);
                    int[] idx = Arrays.copyOfRange(order, from, to);
                    int[] pos = Arrays.copyOfRange(position, from, to);
                    float[] pixels = batches.take(idx);
                    if (step + 1 < stepsPerEpoch) {
                        int nextTo = step + 1 == stepsPerEpoch - 1 ? n : Math.min(n, to + batch);
                        batches.prefetch(Arrays.copyOfRange(order, to, nextTo));
                    }
                    double loss;
                    try (TensorScope scope = TensorScope.open()) {
                        Tensor x = Tensors.fromArray(model.backend(), pixels, idx.length, in.channels(), in.height(), in.width());
                        adam.zeroGrad();
                        Tensor features;
                        if (frozen) {
                            try (NoGrad ignored = NoGrad.enter()) {
                                features = model.network().forward(x);
                            }
                        } else {
                            features = model.network().forward(x);
                        }
                        Tensor lossTensor = method.loss(features, data.labelsOf(idx), pos);
                        loss = lossTensor.item();
                        if (!Double.isFinite(loss)) {
                            throw new TrainingDivergedException(String.format(Locale.ROOT,
                                    "training stopped at epoch %d, step %d: loss is %s (%s, %d bits); last finite loss %.4f; "
                                            + "try a smaller --lr", epoch + 1, step + 1, loss, method.name(), method.bits(), lastFinite));
                        }
                        Graph.backward(lossTensor);
                        checkGradients(epoch, step, method);
                        adam.step();
                        method.afterStep();
                    }
                    lastFinite = loss;
                    epochLoss += loss;
                    steps++;
                    images += idx.length;
                    progress.update(epoch + 1, config.epochs(), step + 1, stepsPerEpoch, steps, totalSteps, loss, images,
                            stepsDone);
                }
                progress.message(String.format(Locale.ROOT, "epoch %d/%d done: mean loss %.4f, %s elapsed", epoch + 1,
                        config.epochs(), epochLoss / stepsPerEpoch, Progress.duration((System.nanoTime() - start) / 1e9)));
                if (checkpoint != null) {
                    Map<String, String> extra = new LinkedHashMap<>(config.toMetadata());
                    extra.put("train.epochs_done", Integer.toString(epoch + 1));
                    extra.put("train.steps_done", Long.toString(steps));
                    TrainingState state = TrainingState.of(model, adam);
                    extra.putAll(state.metadata());
                    model.save(checkpoint, extra, state.tensors());
                }
            }
        } finally {
            model.network().train();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    // Each parameter's gradient summed on the device: NaN or infinity anywhere makes the sum non-finite.
    private void checkGradients(int epoch, int step, HashingMethod method) {
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                Tensor g = e.getValue().grad();
                if (g == null) continue;
                float s = Ops.sum(g).item();
                if (!Float.isFinite(s)) {
                    throw new TrainingDivergedException(String.format(Locale.ROOT,
                            "training stopped at epoch %d, step %d: the gradient of %s holds NaN or infinity (%s, %d bits); "
                                    + "try a smaller --lr", epoch + 1, step + 1, e.getKey(), method.name(), method.bits()));
                }
            }
        }
    }

    private static void shuffle(int[] a, int[] b, long seed) {
        Random random = new Random(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
            t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
    }
}
