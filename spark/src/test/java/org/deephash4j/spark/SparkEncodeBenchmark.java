package org.deephash4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.cpu.CpuThreads;
import org.deephash4j.data.DataSource;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode throughput, images/s (one op = one image): the embedded Fashion-MNIST subset twice over (8,000 images,
 * 1x28x28, LeNet + HashNet 32 bits, batches of 256) encoded by {@link HashingModel#encode} in this JVM on N engine
 * threads ({@code jvm[N]}), and by {@link SparkEncoder} on an embedded Spark {@code local[N]} (the image table
 * cached in 8 partitions, the codes consumed by Spark's {@code noop} writer). Spark's overhead is the ratio
 * {@code jvm[N] / local[N]}. The setup checks the Spark codes against the single-JVM codes before timing.
 *
 * <p>{@code spark/bench.sh SparkEncodeBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(2)
public class SparkEncodeBenchmark {
    static final int IMAGES = 8000;

    @Param({"jvm[1]", "jvm[2]", "local[1]", "local[2]"})
    String where;

    private org.deephash4j.data.Dataset data;
    private int[] all;
    private HashingModel model;
    private SparkSession spark;
    private SparkEncoder encoder;
    private Dataset<Row> images;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        org.deephash4j.data.Dataset subset = DataSource.embeddedSubset().all();
        data = org.deephash4j.data.Dataset.concat(subset, subset, "subset x2");
        all = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) all[i] = i;
        Path checkpoint = BenchSpark.checkpoint();
        model = HashingModel.load(checkpoint, Backends.cpu(), null);
        BinaryCodes expected = model.encode(data, all);
        if (BenchSpark.singleJvm(where)) return;

        spark = BenchSpark.start(where);
        encoder = SparkEncoder.load(spark, checkpoint);
        List<Row> rows = new ArrayList<>(IMAGES);
        for (int i = 0; i < IMAGES; i++) rows.add(RowFactory.create((long) i, data.rawImage(i)));
        StructType schema = new StructType(new StructField[] {
                new StructField("id", DataTypes.LongType, false, Metadata.empty()),
                new StructField("pixels", DataTypes.BinaryType, false, Metadata.empty())});
        images = spark.createDataFrame(rows, schema).repartition(8).cache();
        images.count();
        Map<Long, byte[]> codes = SparkEncoderTest.byId(encoder.encode(images));
        byte[] want = expected.toBytes();
        for (int i = 0; i < IMAGES; i++) {
            if (!Arrays.equals(codes.get((long) i), Arrays.copyOfRange(want, 4 * i, 4 * i + 4))) {
                throw new IllegalStateException(where + ": the Spark code of image " + i + " differs from model.encode");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (spark != null) spark.stop();
        model.close();
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public Object encode() {
        if (spark == null) {
            try (CpuThreads.Limit ignored = CpuThreads.limit(BenchSpark.threads(where))) {
                return model.encode(data, all);
            }
        }
        encoder.encode(images).write().format("noop").mode("overwrite").save();
        return encoder;
    }
}
