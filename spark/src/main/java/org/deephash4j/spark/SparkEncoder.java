package org.deephash4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.cpu.CpuThreads;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.search.BinaryCodes;

/**
 * Distributed encode: a table of images with ids becomes a table of codes ({@link CodeTable}), computed by the
 * engine's CPU kernels on the executors.
 *
 * <pre>
 * SparkEncoder encoder = SparkEncoder.load(spark, Path.of("hashnet-32.safetensors"));   // read once, broadcast
 * Dataset&lt;Row&gt; codes = encoder.encode(images);           // images: id + one of pixels, image, content, path
 * encoder.encodeToParquet(images, "hdfs:///codes/photos");  // (id, code, the other columns), bits in the metadata
 * </pre>
 *
 * <p>The checkpoint is read and checked on the driver and broadcast; each executor builds its models from it once
 * (one per task running at the same time, {@link ExecutorModels}). A task encodes its partition in batches of
 * {@link #batchSize} images with {@link HashingModel#encode}, so a code is the one the single-machine
 * {@code model.encode} gives for that image. Each task caps the engine's threads at its share of the executor's
 * cores ({@code spark.task.cpus}, or {@link #threadsPerTask}), so the tasks running side by side on an
 * executor do not oversubscribe it.
 *
 * <p>Encoding is a pure function of each row, so a task that fails and is retried recomputes the same rows,
 * and Spark's writers commit one attempt's output per partition: no row is lost or doubled.
 */
public final class SparkEncoder {
    private final SparkSession spark;
    private final Broadcast<CheckpointPayload> checkpoint;
    private final ModelInfo info;
    private final int batchSize;
    private final int threadsPerTask;     // 0: spark.task.cpus of the running task

    private SparkEncoder(SparkSession spark, Broadcast<CheckpointPayload> checkpoint, ModelInfo info, int batchSize,
                         int threadsPerTask) {
        this.spark = spark;
        this.checkpoint = checkpoint;
        this.info = info;
        this.batchSize = batchSize;
        this.threadsPerTask = threadsPerTask;
    }

    /**
     * Reads the checkpoint at {@code path} on the driver, checks that it describes a model the engine can build,
     * and broadcasts its weights (not its training state).
     */
    public static SparkEncoder load(SparkSession spark, Path path) throws IOException {
        CheckpointPayload payload = CheckpointPayload.read(path);
        ModelInfo info = ModelInfo.of(payload.toCheckpoint(), path);
        // Built once here so that a checkpoint not matching its model fails on the driver, not in every task.
        HashingModel.load(payload.toCheckpoint(), path, Backends.cpu(), null).close();
        Broadcast<CheckpointPayload> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(payload);
        return new SparkEncoder(spark, broadcast, info, 256, 0);
    }

    /** The same encoder with {@code batchSize} images per forward pass (default 256). */
    public SparkEncoder batchSize(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("SparkEncoder.batchSize: " + batchSize + ", expected >= 1");
        return new SparkEncoder(spark, checkpoint, info, batchSize, threadsPerTask);
    }

    /** The same encoder with the engine's threads per task fixed at {@code threads} (default: spark.task.cpus). */
    public SparkEncoder threadsPerTask(int threads) {
        if (threads < 1) throw new IllegalArgumentException("SparkEncoder.threadsPerTask: " + threads + ", expected >= 1");
        return new SparkEncoder(spark, checkpoint, info, batchSize, threads);
    }

    /** What the checkpoint says about the model (backbone, method, bits, input size). */
    public ModelInfo modelInfo() {
        return info;
    }

    public int bits() {
        return info.bits();
    }

    /** The broadcast checkpoint (tests look up how many models an executor built from it). */
    Broadcast<CheckpointPayload> broadcast() {
        return checkpoint;
    }

    /**
     * The codes of {@code images} (lazy, like every Spark transformation): a column {@code code} (binary,
     * {@code bits} in its metadata) replaces the image bytes ({@link ImageColumn}; a {@code path} column is kept);
     * {@code id} and any other column stay.
     *
     * @throws IllegalArgumentException when the table has no {@code id} column or no image column
     */
    public Dataset<Row> encode(Dataset<Row> images) {
        StructType in = images.schema();
        int idIndex = CodeTable.idIndex(in, "image table");
        ImageColumn source = ImageColumn.find(in);
        int imageIndex = CodeTable.columnIndex(in, source.column, "image table");
        int dropped = source == ImageColumn.PATH ? -1 : imageIndex;     // a path is worth keeping; image bytes are not
        List<StructField> kept = new ArrayList<>();
        for (int i = 0; i < in.fields().length; i++) if (i != dropped) kept.add(in.fields()[i]);
        StructField code = CodeTable.codeField(info.bits());
        kept.add(code);
        StructType out = new StructType(kept.toArray(new StructField[0]));
        // Images are decoded to the model's decode size (its input, or the resize square it crops from).
        var decode = info.preprocessing().decodeShape();
        PartitionEncoder task = new PartitionEncoder(checkpoint, decode.channels(), decode.height(),
                decode.width(), source, idIndex, imageIndex, dropped, batchSize, threadsPerTask);
        // The row encoder drops column metadata; put bits back on the code column.
        return images.mapPartitions(task, Encoders.row(out)).withMetadata(CodeTable.CODE, code.metadata());
    }

    /** Encodes {@code images} and writes the codes as Parquet at {@code path} (which must not exist yet). */
    public void encodeToParquet(Dataset<Row> images, String path) {
        encode(images).write().mode(SaveMode.ErrorIfExists).parquet(path);
    }

    /** The per-partition work, shipped to the executors: batches of rows in, rows with codes out. */
    private static final class PartitionEncoder implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<CheckpointPayload> checkpoint;
        private final int channels;
        private final int height;
        private final int width;
        private final ImageColumn source;
        private final int idIndex;
        private final int imageIndex;
        private final int dropped;            // column left out of the output, or -1
        private final int batchSize;
        private final int threadsPerTask;

        PartitionEncoder(Broadcast<CheckpointPayload> checkpoint, int channels, int height, int width, ImageColumn source,
                         int idIndex, int imageIndex, int dropped, int batchSize, int threadsPerTask) {
            this.checkpoint = checkpoint;
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.source = source;
            this.idIndex = idIndex;
            this.imageIndex = imageIndex;
            this.dropped = dropped;
            this.batchSize = batchSize;
            this.threadsPerTask = threadsPerTask;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (!rows.hasNext()) return Collections.emptyIterator();
            TaskContext task = TaskContext.get();
            int threads = threadsPerTask > 0 ? threadsPerTask : (task != null ? task.cpus() : CpuThreads.threads());
            HashingModel model = ExecutorModels.borrow(checkpoint);
            if (task != null) {
                // Given back when the task ends, failed or not, so a retried task finds it idle.
                task.addTaskCompletionListener((TaskCompletionListener) ctx -> ExecutorModels.giveBack(checkpoint, model));
            }
            return new Iterator<>() {
                private Iterator<Row> batch = Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    if (batch.hasNext()) return true;
                    if (!rows.hasNext()) {
                        if (task == null) ExecutorModels.giveBack(checkpoint, model);
                        return false;
                    }
                    batch = encodeBatch(model, rows, threads).iterator();
                    return batch.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return batch.next();
                }
            };
        }

        /** Takes up to batchSize rows and returns them with the image replaced by its code. */
        @SuppressWarnings("try")     // the thread cap is a scope: its variable is never read
        private List<Row> encodeBatch(HashingModel model, Iterator<Row> rows, int threads) {
            int c = channels, h = height, w = width;
            int imageSize = c * h * w;
            List<Row> taken = new ArrayList<>(batchSize);
            byte[] pixels = new byte[batchSize * imageSize];
            while (taken.size() < batchSize && rows.hasNext()) {
                Row row = rows.next();
                if (row.isNullAt(idIndex)) throw new IllegalArgumentException("image table: a row has a null id");
                long id = ((Number) row.get(idIndex)).longValue();
                byte[] image = source.decode(row.get(imageIndex), id, c, h, w);
                System.arraycopy(image, 0, pixels, taken.size() * imageSize, imageSize);
                taken.add(row);
            }
            int n = taken.size();
            org.deephash4j.data.Dataset batch = org.deephash4j.data.Dataset.singleLabel("spark partition", c, h, w,
                    java.util.Arrays.copyOf(pixels, n * imageSize), new int[n], List.of("unlabelled"));
            int[] indices = new int[n];
            for (int i = 0; i < n; i++) indices[i] = i;
            BinaryCodes codes;
            try (CpuThreads.Limit ignored = CpuThreads.limit(threads)) {
                codes = model.encode(batch, indices);
            }
            byte[] bytes = codes.toBytes();
            int bpc = BinaryCodes.bytesFor(codes.bits());
            List<Row> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Row row = taken.get(i);
                Object[] values = new Object[dropped < 0 ? row.length() + 1 : row.length()];
                int k = 0;
                for (int j = 0; j < row.length(); j++) if (j != dropped) values[k++] = row.get(j);
                values[k] = java.util.Arrays.copyOfRange(bytes, i * bpc, (i + 1) * bpc);
                out.add(RowFactory.create(values));
            }
            return out;
        }
    }
}
