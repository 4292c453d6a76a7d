package org.deephash4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit entry point, run in this JVM on the tests' Spark: encode a folder of images, search it, bad command lines. */
class SparkMainTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(SparkTestSession.spark(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void encodesAFolderAndSearchesIt() throws IOException {
        SparkSession spark = SparkTestSession.spark();
        Path checkpoint = SparkTestSession.checkpoint();
        Path images = tmp.resolve("photos");
        int n = 30;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path dir = images.resolve(i % 2 == 0 ? "a" : "b");       // sub-folders: the reader recurses
            Files.createDirectories(dir);
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            byte[] raw = SparkTestSession.data().data().rawImage(i * 97);
            for (int p = 0; p < 784; p++) {
                int v = raw[p] & 0xff;
                img.setRGB(p % 28, p / 28, (v << 16) | (v << 8) | v);
            }
            Path file = dir.resolve(String.format("img-%02d.png", i));
            ImageIO.write(img, "png", file.toFile());
            files.add(file);
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");
        files.sort(null);                                              // ids follow the path order

        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < n; i++) System.arraycopy(ImageLoader.load(files.get(i), 1, 28, 28), 0, pixels, i * 784, 784);
        BinaryCodes expected;
        try (HashingModel model = HashingModel.load(checkpoint, Backends.cpu(), null)) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            expected = model.encode(org.deephash4j.data.Dataset.singleLabel("files", 1, 28, 28, pixels, new int[n], List.of("x")), all);
        }

        String codes = tmp.resolve("codes.parquet").toString();
        Run encode = run("encode", "--model", checkpoint.toString(), "--images", images.toString(), "--out", codes, "--batch", "8");
        assertEquals(0, encode.code(), encode.err());
        assertTrue(encode.out().startsWith("encoded 30 images into " + codes + " (32-bit codes, HashNet)"), encode.out());
        Dataset<Row> table = spark.read().parquet(codes);
        SparkEncoderTest.assertCodes(expected, SparkEncoderTest.byId(table), "encode --images");
        for (Row r : table.select("id", "path").collectAsList()) {
            assertTrue(r.getString(1).endsWith(files.get((int) r.getLong(0)).getFileName().toString()), "id " + r.getLong(0) + " is " + r.getString(1));
        }

        String found = tmp.resolve("knn.parquet").toString();
        Run search = run("search", "--database", codes, "--queries", codes, "-k", "4", "--out", found);
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().startsWith("searched 4 nearest: 120 rows into " + found), search.out());
        SparkSearchTest.assertSameAnswers(expected, new LinearScan(expected).knnBatch(expected, 4), spark.read().parquet(found),
                "search -k 4");
    }

    @Test
    void badCommandLinesExitWithTwoAndFailuresWithOne() throws IOException {
        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no command") && none.err().contains("usage:"), none.err());
        Run unknown = run("index", "--out", "x");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown command 'index'"), unknown.err());
        Run both = run("search", "--database", tmp.resolve("absent").toString(), "--queries", "b", "--out", "c", "-k", "3");
        assertEquals(1, both.code(), "a missing table is a failure, not a usage error: " + both.err());
        assertTrue(both.err().startsWith("deephash4j-spark search: ") && both.err().contains("absent"), both.err());
        Run neither = run("search", "--database", "a", "--queries", "b", "--out", "c");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("one of -k K and --radius R"), neither.err());
        Run flag = run("encode", "--model", SparkTestSession.checkpoint().toString(), "--out", "x");
        assertEquals(2, flag.code());
        assertTrue(flag.err().contains("one of --images DIR and --table PATH"), flag.err());
        Run k = run("search", "--database", "a", "--queries", "b", "--out", "c", "-k", "zero");
        assertEquals(2, k.code(), k.err());
    }
}
