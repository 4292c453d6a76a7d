package org.deephash4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Normalization;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.model.HashingModel;
import org.deephash4j.zoo.Backbone;

/** What the Spark benchmarks share: where they run ("jvm[N]" or a Spark master "local[N]") and the model they encode with. */
final class BenchSpark {
    private BenchSpark() {
    }

    /** True for "jvm[N]": the engine alone in this JVM, N threads. */
    static boolean singleJvm(String where) {
        return where.startsWith("jvm[");
    }

    /** N of "jvm[N]" or "local[N]". */
    static int threads(String where) {
        return Integer.parseInt(where.substring(where.indexOf('[') + 1, where.indexOf(']')));
    }

    static SparkSession start(String master) {
        SparkSession spark = SparkSession.builder().master(master).appName("deephash4j-spark-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "8")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** A HashNet 32-bit LeNet checkpoint from seed 0, untrained (encoding costs the same), in a temporary file. */
    static Path checkpoint() throws IOException {
        Path file = Files.createTempDirectory("deephash-spark-bench").resolve("hashnet-32.safetensors");
        try (HashingModel model = new HashingModel(Backends.cpu(), Backbone.LENET, HashingMethods.forEncoding("HashNet", 32, 10),
                Normalization.FASHION_MNIST, org.deephash4j.data.Dataset.numberedClasses(10), 0)) {
            model.save(file, java.util.Map.of());
        }
        return file;
    }
}
