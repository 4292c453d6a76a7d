package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.Normalization;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile cases of issue 21 on the command line: each ends with the exit code README documents,
 * one line naming the file and the field, no stack trace without --verbose, and outputs left as they were.
 */
class HostileInputsTest {
    @TempDir
    Path dir;

    private static CommandLineErrorsTest.Outcome run(String... args) {
        return CommandLineErrorsTest.run(args);
    }

    private static void assertOneLine(CommandLineErrorsTest.Outcome o, int code, String... contains) {
        assertEquals(code, o.code(), o.err());
        // a usage error adds picocli's "Try 'deephash <command> --help'" hint
        assertEquals(1, o.err().lines().filter(l -> !l.startsWith("Try 'deephash ")).count(), "one line: " + o.err());
        for (String c : contains) assertTrue(o.err().contains(c), "'" + c + "' in: " + o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace without --verbose: " + o.err());
    }

    private Path model(String name, Backbone backbone, Normalization norm) throws IOException {
        Path p = dir.resolve(name);
        try (HashingModel m = new HashingModel(Backends.cpu(), backbone, HashingMethods.forEncoding("DHN", 8, 10), norm,
                IdxDataset.FASHION_MNIST_CLASSES, 1)) {
            m.save(p, Map.of("split.seed", "0"));
        }
        return p;
    }

    /** {@code source} with metadata {@code key} set to {@code value} (null: removed). */
    private Path withMetadata(Path source, String name, String key, String value) throws IOException {
        Checkpoint c = Checkpoint.read(source);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        if (value == null) meta.remove(key);
        else meta.put(key, value);
        Path p = dir.resolve(name);
        new Checkpoint(meta, c.tensors()).write(p);
        return p;
    }

    @Test
    void badCheckpointMetadataIsABadInputFileNamingFileAndField() throws IOException {
        Path good = model("good.safetensors", Backbone.LENET, Normalization.FASHION_MNIST);
        Path out = dir.resolve("db.dhi");
        Files.writeString(out, "an earlier index");
        Path abc = withMetadata(good, "abc.safetensors", "bits", "abc");
        assertOneLine(run("encode", "--model", abc.toString(), "--embedded", "--out", out.toString()), ExitCode.BAD_INPUT,
                "abc.safetensors", "__metadata__.bits", "'abc' is not a whole number");
        Path noModel = withMetadata(good, "nomodel.safetensors", "model", null);
        assertOneLine(run("eval", "--model", noModel.toString(), "--embedded"), ExitCode.BAD_INPUT,
                "nomodel.safetensors", "__metadata__.model", "missing");
        Path hugeBits = withMetadata(good, "huge.safetensors", "bits", "65536");
        assertOneLine(run("encode", "--model", hugeBits.toString(), "--embedded", "--out", out.toString()), ExitCode.BAD_INPUT,
                "huge.safetensors", "__metadata__.bits", "needs");
        assertEquals("an earlier index", Files.readString(out), "a failed encode leaves the old index");
    }

    @Test
    void wrongImageSizeIsABadInputFile() throws IOException {
        Path cifar = model("cifar.safetensors", Backbone.CIFARNET, new Normalization(new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.25f, 0.25f, 0.25f}));
        assertOneLine(run("eval", "--model", cifar.toString(), "--embedded"), ExitCode.BAD_INPUT, "1x28x28", "3x32x32");
        assertOneLine(run("encode", "--model", cifar.toString(), "--embedded", "--out", dir.resolve("x.dhi").toString()),
                ExitCode.BAD_INPUT, "1x28x28", "3x32x32");
        assertFalse(Files.exists(dir.resolve("x.dhi")));
    }

    @Test
    void hostileCheckpointsAreBadInputFiles() throws IOException {
        Path deep = dir.resolve("deep.safetensors");
        byte[] header = ("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        Files.write(deep, b.array());
        assertOneLine(run("eval", "--model", deep.toString(), "--embedded"), ExitCode.BAD_INPUT,
                "deep.safetensors: field 'header'", "nested deeper than");
        assertOneLine(run("search", "--index", dir.resolve("none.dhi").toString(), "--queries", deep.toString()),
                ExitCode.BAD_INPUT, "none.dhi");
    }

    @Test
    void hostileDataFilesAreBadInputFiles() throws IOException {
        Path idx = dir.resolve("idx");
        Files.createDirectories(idx);
        Files.write(idx.resolve("train-images-idx3-ubyte"), ByteBuffer.allocate(16 + 784).putInt(0x803).putInt(1).putInt(28)
                .putInt(28).array());
        Files.write(idx.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(8 + 100).putInt(0x801).putInt(Integer.MAX_VALUE).array());
        Path checkpoint = dir.resolve("run.safetensors");
        Files.writeString(checkpoint, "an earlier checkpoint");
        assertOneLine(run("train", "--data", idx.toString(), "--epochs", "1", "--out", checkpoint.toString()), ExitCode.BAD_INPUT,
                "train-labels-idx1-ubyte: truncated at byte 108 while reading 2147483647 labels");
        assertEquals("an earlier checkpoint", Files.readString(checkpoint), "a failed train leaves the old checkpoint");
        Path list = dir.resolve("train.txt");
        Files.write(list, "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        assertOneLine(run("train", "--train-list", list.toString(), "--query-list", list.toString(), "--database-list",
                list.toString()), ExitCode.BAD_INPUT, "train.txt: line 1 is longer than 65536 bytes");
    }

    @Test
    void searchLimitMustBePositive() {
        for (String limit : new String[] {"0", "-5"}) {
            assertOneLine(run("search", "--index", "db.dhi", "--queries", "q.dhi", "--limit", limit), ExitCode.USAGE,
                    "--limit " + limit + ": expected at least 1 query");
        }
    }

    @Test
    void maxImagePixelsOptionSetsTheLimit() throws IOException {
        Path good = model("good.safetensors", Backbone.LENET, Normalization.FASHION_MNIST);
        Path png = dir.resolve("shoe.png");
        CommandLineErrorsTest.FileFormatsPng.write(png);     // 20 x 30 pixels
        Path folder = dir.resolve("photos");
        Files.createDirectories(folder);
        Files.copy(png, folder.resolve("shoe.png"));
        Path out = dir.resolve("photos.dhi");
        String before = System.getProperty(org.deephash4j.data.ImageLoader.MAX_PIXELS_PROPERTY);
        try {
            assertOneLine(run("encode", "--model", good.toString(), "--images", folder.toString(), "--out", out.toString(),
                    "--max-image-pixels", "599"), ExitCode.BAD_INPUT, "shoe.png", "image of 20 x 30 pixels; at most 599");
            assertOneLine(run("encode", "--model", good.toString(), "--images", folder.toString(), "--out", out.toString(),
                    "--max-image-pixels", "0"), ExitCode.USAGE, "--max-image-pixels 0");
            assertEquals(ExitCode.OK, run("encode", "--model", good.toString(), "--images", folder.toString(), "--out",
                    out.toString(), "--max-image-pixels", "600").code());
        } finally {
            if (before == null) System.clearProperty(org.deephash4j.data.ImageLoader.MAX_PIXELS_PROPERTY);
            else System.setProperty(org.deephash4j.data.ImageLoader.MAX_PIXELS_PROPERTY, before);
        }
    }

    @Test
    void errorsGetOneLineToo() {
        StringWriter err = new StringWriter();
        int code = Main.report(new StackOverflowError(), new PrintWriter(err, true), false);
        assertEquals(ExitCode.FAILURE, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("deephash: stack overflow"), err.toString());

        err = new StringWriter();
        OutOfMemoryError oom = new OutOfMemoryError("out of memory while reading /data/train-images-idx3-ubyte");
        code = Main.report(oom, new PrintWriter(err, true), false);
        assertEquals(ExitCode.FAILURE, code);
        assertTrue(err.toString().startsWith("deephash: out of memory while reading /data/train-images-idx3-ubyte; Java may use at most "),
                err.toString());
        assertTrue(err.toString().contains("DEEPHASH_JAVA_OPTS=-Xmx8g"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());

        err = new StringWriter();
        Main.report(new StackOverflowError(), new PrintWriter(err, true), true);
        assertTrue(err.toString().contains("StackOverflowError"), "--verbose adds the trace: " + err);
    }

    @Test
    void outOfMemoryInAChildJvmIsOneLineNamingTheFile() throws Exception {
        // a real IDX file of 64 MB read by a JVM that may use 48 MB
        Path idx = dir.resolve("big");
        Files.createDirectories(idx);
        int count = 80_000;
        try (var out = Files.newOutputStream(idx.resolve("train-images-idx3-ubyte"))) {
            out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(count).putInt(28).putInt(28).array());
            byte[] image = new byte[784 * 1000];
            for (int i = 0; i < count / 1000; i++) out.write(image);
        }
        Files.write(idx.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count).array());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx48m", "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--data", idx.toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(ExitCode.FAILURE, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.getFirst().startsWith("deephash: out of memory while reading " + idx.resolve("train-images-idx3-ubyte")
                + "; Java may use at most "), err);
    }

    @Test
    void infoLinesStayOffWithoutVerboseAfterTheLoggerCouldBeCollected() throws InterruptedException {
        assertEquals(ExitCode.OK, run("--version").code());
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        // a fresh child logger finds its level through the parent, which Main keeps referenced
        Logger child = Logger.getLogger("org.deephash4j.backend.cpu.SomeKernel");
        assertFalse(child.isLoggable(Level.INFO), "INFO must not reach standard error without --verbose");
        assertEquals(Level.WARNING, Main.engineLog().getLevel());
        assertEquals(ExitCode.OK, run("--version", "--verbose").code());
        assertTrue(child.isLoggable(Level.INFO), "--verbose lets INFO through");
        assertEquals(ExitCode.OK, run("--version").code());
    }
}
