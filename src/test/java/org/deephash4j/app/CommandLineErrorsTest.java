package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.Labels;
import org.deephash4j.data.Normalization;
import org.deephash4j.hashing.Dsdh;
import org.deephash4j.hashing.HashNet;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives one line on standard error, a non-zero exit code and no stack trace. */
class CommandLineErrorsTest {
    @TempDir
    Path dir;

    record Outcome(int code, String err) {
    }

    static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        return new Outcome(code, err.toString());
    }

    static void assertOneLine(Outcome o, int code, String contains) {
        assertEquals(code, o.code(), o.err());
        String firstLine = o.err().lines().findFirst().orElse("");
        assertTrue(firstLine.startsWith("deephash: ") && firstLine.contains(contains), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace without --verbose: " + o.err());
    }

    @Test
    void unknownMethodIsAUsageError() {
        assertOneLine(run("train", "--method", "FooHash", "--embedded"), ExitCode.USAGE, "unknown method 'FooHash'; known: DLBHC, DHN, HashNet, DSDH, ExpH");
    }

    @Test
    void unknownCommandAndOption() {
        assertOneLine(run("frobnicate"), ExitCode.USAGE, "frobnicate");
        assertOneLine(run("train", "--no-such-option"), ExitCode.USAGE, "--no-such-option");
    }

    @Test
    void missingDataFolderAndMissingCheckpoint() {
        assertOneLine(run("train", "--data", dir.resolve("nope").toString()), ExitCode.BAD_INPUT, "nope");
        assertOneLine(run("eval", "--model", dir.resolve("missing.safetensors").toString(), "--embedded"), ExitCode.BAD_INPUT,
                "missing.safetensors");
    }

    @Test
    void wrongFormatAndTruncatedFiles() throws IOException {
        Path idx = dir.resolve("idx");
        Files.createDirectories(idx);
        // labels where images should be: wrong magic number
        Files.write(idx.resolve("train-images-idx3-ubyte"), ByteBuffer.allocate(12).putInt(0x801).putInt(4).array());
        Files.write(idx.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(12).putInt(0x801).putInt(4).array());
        assertOneLine(run("train", "--data", idx.toString()), ExitCode.BAD_INPUT, "bad magic number 0x00000801");

        byte[] image = ByteBuffer.allocate(16 + 2 * 784).putInt(0x803).putInt(2).putInt(28).putInt(28).array();
        Files.write(idx.resolve("train-images-idx3-ubyte"), Arrays.copyOf(image, 100));
        assertOneLine(run("train", "--data", idx.toString()), ExitCode.BAD_INPUT, "truncated at byte 100");

        Path ckpt = dir.resolve("bad.safetensors");
        Files.writeString(ckpt, "this is not a checkpoint");
        assertOneLine(run("eval", "--model", ckpt.toString(), "--embedded"), ExitCode.BAD_INPUT, "bad.safetensors");
    }

    @Test
    void wrongImageSizeForTheModel() throws IOException {
        Path cifar = dir.resolve("cifar");
        Files.createDirectories(cifar);
        assertOneLine(run("train", "--data", cifar.toString(), "--model", "lenet"), ExitCode.USAGE, "no IDX files, CIFAR-10 batches or class sub-folders");
        assertOneLine(run("train", "--embedded", "--model", "nosuchnet"), ExitCode.USAGE, "unknown model 'nosuchnet'");
        assertOneLine(run("train", "--embedded", "--model", "cifarnet"), ExitCode.BAD_INPUT,
                "holds 1x28x28 images but model cifarnet takes 3x32x32");
    }

    private Path untrained(String name, int bits) throws IOException {
        Path p = dir.resolve(name);
        try (HashingModel m = new HashingModel(Backends.cpu(), Backbone.LENET, HashingMethods.forEncoding("DHN", bits, 10),
                Normalization.FASHION_MNIST, IdxDataset.FASHION_MNIST_CLASSES, 1)) {
            m.save(p, java.util.Map.of());
        }
        return p;
    }

    @Test
    void checkpointOfAnotherBitLength() throws IOException {
        Path m8 = untrained("m8.safetensors", 8);
        Path m12 = untrained("m12.safetensors", 12);
        Path index = dir.resolve("q.dhi");
        assertEquals(ExitCode.OK, run("encode", "--model", m8.toString(), "--embedded", "--set", "query", "--out", index.toString()).code());
        Path png = dir.resolve("shoe.png");
        FileFormatsPng.write(png);
        assertOneLine(run("search", "--index", index.toString(), "--model", m12.toString(), "--image", png.toString(), "--montage", "none"),
                ExitCode.BAD_INPUT, "makes 12-bit codes but the index holds 8-bit codes");
        assertOneLine(run("eval", "--model", m8.toString(), "--embedded", "--bits", "12"), ExitCode.BAD_INPUT,
                "holds 8-bit codes but --bits 12 was asked");
        // an index folder whose segment file was cut in half
        Path truncated = dir.resolve("t.dhi");
        Files.createDirectories(truncated);
        try (java.util.stream.Stream<Path> files = Files.list(index)) {
            for (Path f : files.toList()) Files.copy(f, truncated.resolve(f.getFileName()));
        }
        Path segment = truncated.resolve("seg-1.dhseg");
        byte[] bytes = Files.readAllBytes(segment);
        Files.write(segment, Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLine(run("search", "--index", truncated.toString(), "--queries", index.toString(), "--montage", "none"),
                ExitCode.BAD_INPUT, "t.dhi");
        // and the good case: the 8-bit model finds results for the image (the montage draws the data set encoded)
        assertEquals(ExitCode.OK, run("search", "--index", index.toString(), "--model", m8.toString(), "--image", png.toString(),
                "--embedded", "--montage", dir.resolve("montage.png").toString()).code());
        assertTrue(Files.size(dir.resolve("montage.png")) > 0);
    }

    @Test
    void resumeChecksTheCheckpointItContinues() throws IOException {
        assertOneLine(run("train", "--resume", untrained("m8.safetensors", 8).toString(), "--method", "DHN", "--bits", "8",
                "--embedded"), ExitCode.BAD_INPUT, "checkpoint metadata has no 'train.");
        Path run = dir.resolve("dsdh.safetensors");
        String[] small = {"train", "--method", "DSDH", "--bits", "8", "--embedded", "--batch", "20", "--train-per-class"};
        Outcome first = run(concat(small, "6", "--epochs", "1", "--out", run.toString()));
        assertEquals(ExitCode.OK, first.code(), first.err());
        assertOneLine(run(concat(small, "6", "--resume", run.toString(), "--epochs", "2", "--split-seed", "5")), ExitCode.BAD_INPUT,
                "was trained on split seed 0 but --split-seed 5 was asked");
        assertOneLine(run(concat(small, "7", "--resume", run.toString(), "--epochs", "2")), ExitCode.BAD_INPUT,
                "DSDH: training state 'bank' holds 480 values, expected [70, 8]");
        assertEquals(ExitCode.OK, run(concat(small, "6", "--resume", run.toString(), "--epochs", "2", "--out", run.toString())).code());
    }

    @Test
    void hashNetsContinuationOptionsAreCheckedAndSavedForResume() throws IOException {
        assertOneLine(run("train", "--method", "DSDH", "--beta-gamma", "0.01", "--embedded"), ExitCode.USAGE,
                "--beta-gamma and --beta-step set HashNet's continuation; --method is DSDH");
        // reported before the data are read: a data folder that does not exist is never reached
        assertOneLine(run("train", "--method", "DSDH", "--beta-step", "5", "--data", dir.resolve("absent").toString()),
                ExitCode.USAGE, "--beta-gamma and --beta-step set HashNet's continuation; --method is DSDH");
        Path run = dir.resolve("hashnet.safetensors");
        String[] small = {"train", "--method", "HashNet", "--bits", "8", "--embedded", "--batch", "20", "--train-per-class", "6"};
        Outcome first = run(concat(small, "--epochs", "1", "--beta-gamma", "0.25", "--beta-step", "3", "--out", run.toString()));
        assertEquals(ExitCode.OK, first.code(), first.err());
        Map<String, String> saved = Checkpoint.read(run).metadata();
        assertEquals("0.25", saved.get(HashNet.GAMMA_SETTING));
        assertEquals("3", saved.get(HashNet.STEP_SIZE_SETTING));
        assertOneLine(run(concat(small, "--resume", run.toString(), "--epochs", "2", "--beta-step", "4")), ExitCode.USAGE,
                "a resumed run goes on with the schedule saved in");
        try (HashingModel m = HashingModel.load(run, Backends.cpu(), Labels.single(new int[] {0}, 10))) {
            assertEquals(Math.sqrt(1 + 0.25 * 6), ((HashNet) m.method()).betaAt(7), 1e-6);   // read back, not the paper's
        }
    }

    @Test
    void dsdhsBStepOptionsAreCheckedAndSavedForResume() throws IOException {
        assertOneLine(run("train", "--method", "HashNet", "--dsdh-sweeps", "3", "--embedded"), ExitCode.USAGE,
                "--dsdh-code-eta and --dsdh-sweeps set DSDH's B step; --method is HashNet");
        Path run = dir.resolve("dsdh-peer.safetensors");
        String[] small = {"train", "--method", "DSDH", "--bits", "8", "--embedded", "--batch", "20", "--train-per-class", "6"};
        Outcome first = run(concat(small, "--epochs", "1", "--dsdh-code-eta", "55", "--dsdh-sweeps", "3", "--out", run.toString()));
        assertEquals(ExitCode.OK, first.code(), first.err());
        Map<String, String> saved = Checkpoint.read(run).metadata();
        assertEquals("55.0", saved.get(Dsdh.CODE_ETA_SETTING));
        assertEquals("3", saved.get(Dsdh.SWEEPS_SETTING));
        assertOneLine(run(concat(small, "--resume", run.toString(), "--epochs", "2", "--dsdh-sweeps", "4")), ExitCode.USAGE,
                "a resumed run goes on with the constants saved in");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A small PNG to search with. */
    static final class FileFormatsPng {
        static void write(Path path) throws IOException {
            java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(20, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 10; y < 20; y++) for (int x = 2; x < 18; x++) im.setRGB(x, y, 0xc0c0c0);
            javax.imageio.ImageIO.write(im, "png", path.toFile());
        }
    }

    @Test
    void verboseAddsTheStackTrace() {
        Outcome o = run("train", "--method", "FooHash", "--embedded", "--verbose");
        assertEquals(ExitCode.USAGE, o.code());
        assertTrue(o.err().contains("\tat "), o.err());
    }

    @Test
    void versionAndHelp() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--version"));
        assertTrue(out.toString().contains("deephash4j"), out.toString());
        out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help"));
        for (String c : new String[] {"demo", "train", "eval", "devices"}) assertTrue(out.toString().contains(c), out.toString());
    }
}
