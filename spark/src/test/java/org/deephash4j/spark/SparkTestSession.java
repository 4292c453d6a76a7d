package org.deephash4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.DataSource;
import org.deephash4j.data.Split;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.model.HashingModel;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;

/**
 * What the Spark tests share in their one JVM: one embedded Spark, {@code local[2,2]} (two task threads, as
 * local[2], and up to two attempts per task, so a task that fails once is retried; plain local[N] never retries),
 * and one HashNet checkpoint trained for one epoch on the embedded Fashion-MNIST subset, with its split.
 */
final class SparkTestSession {
    private static SparkSession spark;
    private static Path checkpoint;
    private static SplitDataset data;

    private SparkTestSession() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2,2]")
                    .appName("deephash4j-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "4")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    /** The embedded subset split as the demo splits it (50 queries and 200 training images per class, seed 0). */
    static synchronized SplitDataset data() throws IOException {
        if (data == null) data = DataSource.embeddedSubset().split(50, 200, 0, true);
        return data;
    }

    /** A HashNet 32-bit LeNet checkpoint after one epoch on {@link #data()}'s training images. */
    static synchronized Path checkpoint() throws IOException {
        if (checkpoint == null) {
            SplitDataset d = data();
            Dataset all = d.data();
            Split split = d.split();
            Path dir = Files.createTempDirectory("deephash-spark-test");
            Path file = dir.resolve("hashnet-32.safetensors");
            try (HashingModel model = new HashingModel(Backends.cpu(), Backbone.LENET,
                    HashingMethods.create("HashNet", 32, all.labelsOf(split.train())), d.normalization(), all.classNames(), 0)) {
                TrainConfig config = TrainConfig.defaults(model).withEpochs(1);
                new Trainer(model, config, new Progress(new PrintStream(OutputStream.nullOutputStream()))).run(all, split.train(), null);
                model.save(file, config.toMetadata());
            }
            checkpoint = file;
        }
        return checkpoint;
    }
}
