package org.deephash4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.Labels;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Split;
import org.deephash4j.data.SyntheticDataset;
import org.deephash4j.hashing.CollapseDetector;
import org.deephash4j.hashing.HashNet;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.InputMismatchException;
import org.deephash4j.nn.Module;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's side of the {@link HashingMethod} contract, for every method: beforeEpoch(e) once per epoch
 * in order, then learningRateScale, then per step one loss over a batch and one afterStep; each epoch's
 * batches cover every training example once; a resumed run replays afterStep for the steps already done.
 * A trainer that skips a hook (HashNet's beta would never rise) fails here.
 */
class TrainerProtocolTest {
    private static final Backend CPU = Backends.cpu();
    // 10 classes x 10 images; per class 2 queries and 7 training images: 70 training images, batch 23 -> 3 steps of
    // 23, 23 and 24 (a last batch of one image has no pairs and joins the one before)
    private static final Dataset DATA = SyntheticDataset.generate(10, 10, 1, 28, 28, 5);
    private static final Split SPLIT = Split.perClass(DATA, Split.range(0, 100), Split.range(0, 100), 2, 7, 0, false);
    private static final Normalization NORM = Normalization.measure(DATA, SPLIT.train());
    private static final int BITS = 8;
    private static final int STEPS = 3;

    /** Delegates every call to a real method and writes the trainer's calls down. */
    static final class Recording implements HashingMethod {
        final HashingMethod inner;
        final List<String> calls = new ArrayList<>();
        final List<int[]> batches = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        float scale = Float.NaN;     // NaN: the method's own learningRateScale

        Recording(HashingMethod inner) {
            this.inner = inner;
        }

        @Override public String name() { return inner.name(); }
        @Override public int bits() { return inner.bits(); }
        @Override public Module head(Backend backend, int featureSize, long seed) { return inner.head(backend, featureSize, seed); }
        @Override public Module head() { return inner.head(); }
        @Override public Tensor hashOutputs(Tensor features) { return inner.hashOutputs(features); }
        @Override public BinaryCodes codes(Tensor features) { return inner.codes(features); }
        @Override public Tensor rerankFeatures(Tensor features) { return inner.rerankFeatures(features); }
        @Override public Map<String, float[]> trainingState() { return inner.trainingState(); }
        @Override public void restoreTrainingState(Map<String, float[]> state) { inner.restoreTrainingState(state); }
        @Override public float defaultLearningRate() { return inner.defaultLearningRate(); }
        @Override public CollapseDetector collapseDetector() { return inner.collapseDetector(); }

        @Override public Tensor loss(Tensor features, Labels labels, int[] indices) {
            calls.add("loss");
            batches.add(indices.clone());
            Tensor loss = inner.loss(features, labels, indices);
            losses.add((double) loss.item());
            return loss;
        }

        @Override public void beforeEpoch(int epoch) {
            calls.add("beforeEpoch " + epoch);
            inner.beforeEpoch(epoch);
        }

        @Override public void afterStep() {
            calls.add("afterStep");
            inner.afterStep();
        }

        @Override public float learningRateScale() {
            calls.add("learningRateScale");
            return Float.isNaN(scale) ? inner.learningRateScale() : scale;
        }
    }

    private static List<String> epoch(int e) {
        List<String> c = new ArrayList<>(List.of("beforeEpoch " + e, "learningRateScale"));
        for (int s = 0; s < STEPS; s++) c.addAll(List.of("loss", "afterStep"));
        return c;
    }

    private static TrainConfig config(String method, int epochs) {
        return new TrainConfig("lenet", method, BITS, epochs, 23, 1e-3f, 0f, 7, 0, "cpu");
    }

    private static Progress quiet() {
        return new Progress(new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void everyMethodGetsItsHooksInOrder(@TempDir Path dir) throws IOException {
        for (String name : HashingMethods.NAMES) {
            Recording method = new Recording(HashingMethods.create(name, BITS, DATA.labelsOf(SPLIT.train())));
            Path checkpoint = dir.resolve(name + ".safetensors");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            double seconds;
            try (HashingModel m = new HashingModel(CPU, Backbone.LENET, method, NORM, DATA.classNames(), 7)) {
                seconds = new Trainer(m, config(name, 2), new Progress(new PrintStream(log, true), "line"))
                        .run(DATA, SPLIT.train(), checkpoint);
            }
            assertTrue(seconds > 0 && seconds <= (System.nanoTime() - t0) / 1e9, name + ": run returns its wall time, " + seconds);
            for (int e = 0; e < 2; e++) {
                double mean = method.losses.subList(e * STEPS, (e + 1) * STEPS).stream().mapToDouble(Double::doubleValue).sum() / STEPS;
                String done = String.format(java.util.Locale.ROOT, "epoch %d/2 done: mean loss %.4f, ", e + 1, mean);
                assertTrue(log.toString().contains(done), name + ": '" + done + "' in " + log);
                assertTrue(log.toString().matches("(?s).*" + java.util.regex.Pattern.quote(done) + "[0-9]+s elapsed.*"),
                        name + ": the elapsed time is seconds of this short run: " + log);
            }
            List<String> progressLines = log.toString().lines().filter(l -> l.contains(" images/s")).toList();
            assertEquals(2 * STEPS, progressLines.size(), name + ": a log gets a line per step here (each is a new tenth): " + log);
            String last = progressLines.getLast();
            assertTrue(last.startsWith("epoch 2/2  step 3/3  loss "), last);
            double rate = Double.parseDouble(last.replaceAll(".*  ([-0-9.]+) images/s.*", "$1"));
            assertTrue(rate > 0, name + ": images per second counts the images: " + last);
            int[] firstEpoch = method.batches.subList(0, STEPS).stream().flatMapToInt(Arrays::stream).toArray();
            int[] secondEpoch = method.batches.subList(STEPS, 2 * STEPS).stream().flatMapToInt(Arrays::stream).toArray();
            int[] identity = java.util.stream.IntStream.range(0, firstEpoch.length).toArray();
            assertFalse(Arrays.equals(identity, firstEpoch), name + ": the batches are shuffled");
            assertFalse(Arrays.equals(firstEpoch, secondEpoch), name + ": each epoch is shuffled anew");
            List<String> expected = new ArrayList<>(epoch(0));
            expected.addAll(epoch(1));
            assertEquals(expected, method.calls, name);
            assertEquals(2 * STEPS, method.batches.size(), name);
            for (int e = 0; e < 2; e++) {
                int[] seen = method.batches.subList(e * STEPS, (e + 1) * STEPS).stream().flatMapToInt(Arrays::stream).sorted().toArray();
                int[] all = new int[SPLIT.train().length];
                for (int i = 0; i < all.length; i++) all[i] = i;
                assertArrayEquals(all, seen, name + " epoch " + e + ": the batches cover every training example once");
            }
            if (method.inner instanceof HashNet h) {
                assertEquals(2 * STEPS, h.iteration(), "HashNet counted every step");
                assertEquals(h.betaAt(2 * STEPS + 1), h.beta());
            }

            // resumed after epoch 1 of 2: the 3 steps done are replayed before epoch 1 begins
            Recording resumed = new Recording(HashingMethods.create(name, BITS, DATA.labelsOf(SPLIT.train())));
            Path first = dir.resolve(name + "-1.safetensors");
            try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.create(name, BITS, DATA.labelsOf(SPLIT.train())),
                    NORM, DATA.classNames(), 7)) {
                new Trainer(m, config(name, 1), quiet()).run(DATA, SPLIT.train(), first);
            }
            Checkpoint saved = Checkpoint.read(first);
            try (HashingModel m = new HashingModel(CPU, Backbone.LENET, resumed, NORM, DATA.classNames(), 7)) {
                saved.loadInto(m.namedParameters(), first.toString());
                double resumedSeconds = new Trainer(m, config(name, 2), quiet()).resume(DATA, SPLIT.train(), saved, first.toString(), null);
                assertTrue(resumedSeconds > 0, name + ": resume returns its wall time");
            }
            List<String> replay = new ArrayList<>();
            for (int s = 0; s < STEPS; s++) replay.add("afterStep");
            replay.addAll(epoch(1));
            assertEquals(replay, resumed.calls, name + " resumed");
        }
    }

    @Test
    void theMethodsLearningRateScaleMultipliesTheRate() throws IOException {
        // scale 0.5 at rate 2e-3 trains exactly as scale 1 at rate 1e-3 (halving a float is exact)
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Recording method = new Recording(HashingMethods.create("DHN", BITS, DATA.labelsOf(SPLIT.train())));
            method.scale = run == 0 ? 0.5f : 1f;
            TrainConfig c = new TrainConfig("lenet", "DHN", BITS, 1, 23, run == 0 ? 2e-3f : 1e-3f, 0f, 7, 0, "cpu");
            try (HashingModel m = new HashingModel(CPU, Backbone.LENET, method, NORM, DATA.classNames(), 7)) {
                new Trainer(m, c, quiet()).run(DATA, SPLIT.train(), null);
                weights[run] = m.namedParameters().get("head.hash.weight").toArray();
            }
        }
        assertArrayEquals(weights[1], weights[0]);
        // and a rate twice as large trains differently, so the comparison above can fail
        try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.create("DHN", BITS, DATA.labelsOf(SPLIT.train())),
                NORM, DATA.classNames(), 7)) {
            new Trainer(m, new TrainConfig("lenet", "DHN", BITS, 1, 23, 2e-3f, 0f, 7, 0, "cpu"), quiet()).run(DATA, SPLIT.train(), null);
            assertFalse(Arrays.equals(weights[1], m.namedParameters().get("head.hash.weight").toArray()));
        }
    }

    @Test
    void imagesOfAnotherSizeAreRefusedBeforeTraining() {
        Dataset colour = SyntheticDataset.generate(4, 10, 3, 32, 32, 1);
        try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.create("DHN", BITS, colour.labelsOf(new int[] {0, 1})),
                NORM, DATA.classNames(), 7)) {
            assertThrows(InputMismatchException.class, () -> new Trainer(m, config("DHN", 1), quiet()).run(colour, new int[] {0, 1}, null));
        }
    }
}
