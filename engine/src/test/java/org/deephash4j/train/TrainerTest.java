package org.deephash4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Split;
import org.deephash4j.data.SyntheticDataset;
import org.deephash4j.eval.EvalResult;
import org.deephash4j.eval.Evaluator;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on a small seeded synthetic set: it learns, checkpoints, resumes and stops on NaN. */
class TrainerTest {
    private static final Backend CPU = Backends.cpu();
    // 10 classes x 24 images of 28x28; per class 4 queries, 12 training images, the rest database
    private static final Dataset DATA = SyntheticDataset.generate(24, 10, 1, 28, 28, 3);
    private static final Split SPLIT = Split.perClass(DATA, Split.range(0, 240), Split.range(0, 240), 4, 12, 0, false);
    private static final Normalization NORM = Normalization.measure(DATA, SPLIT.train());

    @TempDir
    Path dir;

    private static HashingModel model(String method, int bits) {
        return new HashingModel(CPU, Backbone.LENET, HashingMethods.create(method, bits, DATA.labelsOf(SPLIT.train())), NORM,
                DATA.classNames(), 7);
    }

    private static TrainConfig config(String method, int bits, int epochs) {
        return new TrainConfig("lenet", method, bits, epochs, 40, 1e-3f, 0f, 7, 0, "cpu");
    }

    private static Progress quiet() {
        return new Progress(new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void hashNetLearnsTheSyntheticClasses() throws IOException {
        try (HashingModel m = model("HashNet", 16)) {
            double before = Evaluator.evaluate(m, DATA, SPLIT, 1000, 10).map();
            new Trainer(m, new TrainConfig("lenet", "HashNet", 16, 8, 20, 1e-3f, 0f, 7, 0, "cpu"), quiet())
                    .run(DATA, SPLIT.train(), null);
            EvalResult after = Evaluator.evaluate(m, DATA, SPLIT, 1000, 10);
            // An untrained network gives near-chance codes; a working loss and loop separate 10 clean prototypes.
            assertTrue(before < 0.6, "untrained mAP " + before);
            assertTrue(after.map() > 0.9, "trained mAP " + after.map() + " (untrained " + before + ")");
        }
    }

    @Test
    void checkpointReloadsToTheSameCodes() throws IOException {
        Path ckpt = dir.resolve("run.safetensors");
        float[] z;
        try (HashingModel m = model("DHN", 12)) {
            new Trainer(m, config("DHN", 12, 1), quiet()).run(DATA, SPLIT.train(), ckpt);
            z = m.hashOutputs(DATA, SPLIT.query(), 16);
        }
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals("1", c.require("train.epochs_done"));
        assertEquals("3", c.require("train.steps_done"));
        assertEquals("DHN", c.require("method"));
        assertEquals("12", c.require("bits"));
        assertEquals("3", c.require("state.adam.step"));
        try (HashingModel loaded = HashingModel.load(ckpt, CPU, DATA.labelsOf(SPLIT.train()))) {
            assertArrayEquals(z, loaded.hashOutputs(DATA, SPLIT.query(), 16), "reloaded weights give the same outputs bit for bit");
        }
    }

    @Test
    void resumedRunEndsWhereAnUninterruptedOneDoes() throws IOException {
        // 3 epochs in one go against 2 epochs, a checkpoint, and the third resumed from it in a new model: the
        // checkpoint must carry Adam's moments and step count and DSDH's bank and codes (solved before epoch 2),
        // else the outputs part after the first resumed step.
        for (String method : HashingMethods.NAMES) {
            float[] straight;
            try (HashingModel m = model(method, 12)) {
                new Trainer(m, config(method, 12, 3), quiet()).run(DATA, SPLIT.train(), null);
                straight = m.hashOutputs(DATA, SPLIT.query(), 64);
            }
            Path ckpt = dir.resolve(method + ".safetensors");
            try (HashingModel m = model(method, 12)) {
                new Trainer(m, config(method, 12, 2), quiet()).run(DATA, SPLIT.train(), ckpt);
            }
            Checkpoint saved = Checkpoint.read(ckpt);
            assertEquals(method.equals("DSDH"), saved.tensor("state.method.codes") != null, method + ": DSDH's codes saved");
            float[] resumed;
            try (HashingModel m = HashingModel.load(saved, ckpt, CPU, DATA.labelsOf(SPLIT.train()))) {
                new Trainer(m, config(method, 12, 3), quiet()).resume(DATA, SPLIT.train(), saved, "saved", ckpt);
                resumed = m.hashOutputs(DATA, SPLIT.query(), 64);
            }
            assertArrayEquals(straight, resumed, method + ": outputs after 3 epochs, straight and resumed after 2");
            assertEquals("3", Checkpoint.read(ckpt).require("train.epochs_done"));
            assertEquals("9", Checkpoint.read(ckpt).require("train.steps_done"));
        }
    }

    @Test
    void resumeWithoutTrainingStateSaysSo() throws IOException {
        Path ckpt = dir.resolve("weights-only.safetensors");
        try (HashingModel m = model("HashNet", 12)) {
            m.save(ckpt, java.util.Map.of("train.epochs_done", "1", "train.steps_done", "3"));
            Checkpoint c = Checkpoint.read(ckpt);
            IOException e = assertThrows(IOException.class,
                    () -> new Trainer(m, config("HashNet", 12, 2), quiet()).resume(DATA, SPLIT.train(), c, "weights-only", null));
            assertTrue(e.getMessage().startsWith("weights-only: no training state"), e.getMessage());
        }
    }

    @Test
    void forwardIsRepeatable() {
        try (HashingModel m = model("HashNet", 12)) {
            assertArrayEquals(m.hashOutputs(DATA, SPLIT.query(), 64), m.hashOutputs(DATA, SPLIT.query(), 64));
        }
    }

    @Test
    void sameSeedSameCodes() throws IOException {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            try (HashingModel m = model("HashNet", 12)) {
                new Trainer(m, config("HashNet", 12, 1), quiet()).run(DATA, SPLIT.train(), null);
                runs[r] = m.hashOutputs(DATA, SPLIT.query(), 64);
            }
        }
        // The first run is partly interpreted, the second compiled by the JIT: every kernel must give the same bits
        // at every tier (no lanewise EXP/TANH, no unordered lane reductions), so the outputs agree to the last bit.
        int[] first = new int[runs[0].length];
        int[] second = new int[runs[1].length];
        for (int i = 0; i < first.length; i++) {
            first[i] = Float.floatToRawIntBits(runs[0][i]);
            second[i] = Float.floatToRawIntBits(runs[1][i]);
        }
        assertArrayEquals(first, second, "hash-layer outputs of two runs from the same seed");
    }

    @Test
    void nanLossStopsWithEpochAndStep() {
        // A NaN mean makes every input NaN: the first loss is NaN.
        Normalization broken = new Normalization(new float[] {Float.NaN}, new float[] {0.5f});
        try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.forEncoding("HashNet", 12, 10), broken,
                DATA.classNames(), 7)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(m, config("HashNet", 12, 1), quiet()).run(DATA, SPLIT.train(), null));
            assertTrue(e.getMessage().startsWith("training stopped at epoch 1, step 1: "), e.getMessage());
        }
    }

    @Test
    void everyMethodTrainsAStep() throws IOException {
        for (String method : HashingMethods.NAMES) {
            try (HashingModel m = model(method, 8)) {
                new Trainer(m, new TrainConfig("lenet", method, 8, 1, 60, 1e-3f, 0f, 1, 0, "cpu"), quiet())
                        .run(DATA, Arrays.copyOf(SPLIT.train(), 60), null);
                assertEquals(8, m.encode(DATA, SPLIT.query()).bits(), method);
            }
        }
        assertEquals(List.of("DLBHC", "DHN", "HashNet", "DSDH", "ExpH"), HashingMethods.NAMES);
    }
}
