package org.deephash4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed encode against the single-machine {@link HashingModel#encode}: the embedded subset's 4,000 images,
 * images given as pixels, as PNG bytes and as files, a task that fails once (before and after the encoder), and
 * bad tables.
 */
class SparkEncoderTest {
    private static SparkSession spark;
    private static SplitDataset data;
    private static Path checkpoint;
    private static BinaryCodes expected;     // model.encode of every image, ids = image index

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkTestSession.spark();
        data = SparkTestSession.data();
        checkpoint = SparkTestSession.checkpoint();
        try (HashingModel model = HashingModel.load(checkpoint, Backends.cpu(), null)) {
            expected = model.encode(data.data(), allImages());
        }
    }

    static int[] allImages() {
        int[] all = new int[data.data().size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    static final StructType PIXELS = new StructType(new StructField[] {
            new StructField("id", DataTypes.LongType, false, Metadata.empty()),
            new StructField("label", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("pixels", DataTypes.BinaryType, false, Metadata.empty())});

    /** The embedded images as (id, label, pixels), in {@code partitions} partitions. */
    static Dataset<Row> pixelTable(int partitions) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.data().size(); i++) {
            rows.add(RowFactory.create((long) i, data.data().classOf(i), data.data().rawImage(i)));
        }
        return spark.createDataFrame(rows, PIXELS).repartition(partitions);
    }

    /** Codes by id from a code table, checking each id appears once. */
    static Map<Long, byte[]> byId(Dataset<Row> codes) {
        Map<Long, byte[]> out = new HashMap<>();
        for (Row r : codes.select("id", "code").collectAsList()) {
            byte[] before = out.put(r.getLong(0), (byte[]) r.get(1));
            if (before != null) throw new AssertionError("id " + r.getLong(0) + " appears twice in the code table");
        }
        return out;
    }

    /** Asserts that {@code codes} holds exactly the rows of {@code expected} at {@code ids}, each once. */
    static void assertCodes(BinaryCodes expected, Map<Long, byte[]> codes, String what) {
        assertEquals(expected.size(), codes.size(), what + ": number of rows");
        byte[] bytes = expected.toBytes();
        int bpc = BinaryCodes.bytesFor(expected.bits());
        for (int i = 0; i < expected.size(); i++) {
            byte[] got = codes.get(expected.id(i));
            if (got == null) throw new AssertionError(what + ": id " + expected.id(i) + " is missing");
            assertArrayEquals(Arrays.copyOfRange(bytes, i * bpc, (i + 1) * bpc), got, what + ": code of id " + expected.id(i));
        }
    }

    @Test
    void encodesTheEmbeddedSubsetAsTheSingleMachineDoes() throws IOException {
        SparkEncoder encoder = SparkEncoder.load(spark, checkpoint);
        String out = tmp.resolve("codes.parquet").toString();
        encoder.batchSize(100).encodeToParquet(pixelTable(8), out);

        Dataset<Row> codes = spark.read().parquet(out);
        assertEquals(32, CodeTable.bits(codes), "bits travel in the Parquet files as column metadata");
        assertEquals(List.of("id", "label", "code"), Arrays.asList(codes.schema().fieldNames()), "pixels replaced by code");
        assertCodes(expected, byId(codes), "embedded subset, 8 partitions, batches of 100");
        int built = ExecutorModels.built(encoder.broadcast());
        assertTrue(built >= 1 && built <= 2, "models are built once per concurrent task (local[2]), not per task: " + built);
        long labelled = codes.filter("label = 3").count();
        assertEquals(400, labelled, "other columns ride along: 400 images of class 3 (Dress)");
    }

    @Test
    void encodesPngBytesAndFilesAsTheSingleMachineLoaderDoes() throws IOException {
        int n = 60;
        StructType schema = new StructType(new StructField[] {
                new StructField("id", DataTypes.LongType, false, Metadata.empty()),
                new StructField("image", DataTypes.BinaryType, false, Metadata.empty())});
        StructType pathSchema = new StructType(new StructField[] {
                new StructField("id", DataTypes.LongType, false, Metadata.empty()),
                new StructField("path", DataTypes.StringType, false, Metadata.empty())});
        List<Row> byBytes = new ArrayList<>();
        List<Row> byPath = new ArrayList<>();
        byte[] decoded = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            // A 40x30 colour PNG, so that decoding scales, crops and converts to grey.
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            byte[] raw = data.data().rawImage(i * 61);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    int v = raw[(y * 28 / 30) * 28 + (x * 28 / 40)] & 0xff;
                    img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (x * 6));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            Path file = tmp.resolve("img-" + i + ".png");
            Files.write(file, png.toByteArray());
            byBytes.add(RowFactory.create(1000L + i, png.toByteArray()));
            byPath.add(RowFactory.create(1000L + i, file.toString()));
            System.arraycopy(ImageLoader.load(file, 1, 28, 28), 0, decoded, i * 784, 784);
        }
        BinaryCodes single;
        try (HashingModel model = HashingModel.load(checkpoint, Backends.cpu(), null)) {
            org.deephash4j.data.Dataset images = org.deephash4j.data.Dataset.singleLabel("png", 1, 28, 28, decoded, new int[n],
                    List.of("x"));
            int[] idx = new int[n];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
                ids[i] = 1000L + i;
            }
            single = model.encode(images, idx).withIds(ids);
        }
        SparkEncoder encoder = SparkEncoder.load(spark, checkpoint).batchSize(7);
        assertCodes(single, byId(encoder.encode(spark.createDataFrame(byBytes, schema).repartition(3))), "PNG bytes");
        Dataset<Row> fromFiles = encoder.encode(spark.createDataFrame(byPath, pathSchema).repartition(3));
        assertEquals(List.of("id", "path", "code"), Arrays.asList(fromFiles.schema().fieldNames()), "the path stays");
        assertCodes(single, byId(fromFiles), "PNG files by path");
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutLostOrDoubledRows() throws IOException {
        SparkEncoder encoder = SparkEncoder.load(spark, checkpoint).batchSize(64);
        Dataset<Row> images = pixelTable(6);

        // Before the encoder: partition 2's first attempt dies after 150 images, inside an encode batch.
        FailOnce.reset();
        String before = tmp.resolve("before.parquet").toString();
        encoder.encodeToParquet(images.mapPartitions(new FailOnce(2, 150), Encoders.row(PIXELS)), before);
        assertEquals(1, FailOnce.failures(), "the injected failure must have happened once");
        assertCodes(expected, byId(spark.read().parquet(before)), "failure upstream of encode");

        // After the encoder, while the Parquet writer holds rows of the failing attempt.
        FailOnce.reset();
        String after = tmp.resolve("after.parquet").toString();
        Dataset<Row> codes = encoder.encode(images);
        codes.mapPartitions(new FailOnce(4, 300), Encoders.row(codes.schema())).write().parquet(after);
        assertEquals(1, FailOnce.failures(), "the injected failure must have happened once");
        assertCodes(expected, byId(spark.read().parquet(after)), "failure downstream of encode");

        int built = ExecutorModels.built(encoder.broadcast());
        assertTrue(built >= 1 && built <= 2, "a failed task gives its model back (else a third is built): " + built);
    }

    @Test
    void threadsPerTaskDoesNotChangeTheCodes() throws IOException {
        SparkEncoder encoder = SparkEncoder.load(spark, checkpoint).threadsPerTask(2);
        int[] first = new int[500];
        for (int i = 0; i < first.length; i++) first[i] = i;
        assertCodes(expected.select(first), byId(encoder.encode(pixelTable(2).filter("id < 500"))), "two threads per task");
    }

    @Test
    void badTablesAreRejectedWithTheColumnNamed() throws IOException {
        SparkEncoder encoder = SparkEncoder.load(spark, checkpoint);
        Dataset<Row> images = pixelTable(1);
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(images.drop("id")));
        assertTrue(noId.getMessage().contains("no column 'id'"), noId.getMessage());
        IllegalArgumentException noImage = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(images.drop("pixels")));
        assertTrue(noImage.getMessage().contains("no image column"), noImage.getMessage());
        List<Row> small = List.of(RowFactory.create(7L, 0, new byte[100]));
        Exception wrongSize = assertThrows(Exception.class,
                () -> encoder.encode(spark.createDataFrame(small, PIXELS)).collectAsList());
        assertTrue(rootMessage(wrongSize).contains("id 7 has 100 pixel bytes but the model takes 1x28x28 = 784"),
                rootMessage(wrongSize));
        IllegalArgumentException noBits = assertThrows(IllegalArgumentException.class,
                () -> CodeTable.bits(images.withColumnRenamed("pixels", "code")));
        assertTrue(noBits.getMessage().contains("no 'bits' metadata"), noBits.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> encoder.batchSize(0));
        assertTrue(batch.getMessage().contains("batchSize: 0"), batch.getMessage());
    }

    static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) all.append(c.getMessage()).append(" | ");
        return all.toString();
    }
}
