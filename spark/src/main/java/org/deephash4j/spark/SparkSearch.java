package org.deephash4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import scala.Tuple2;

/**
 * Distributed exact Hamming search of a query table against a code table (both {@link CodeTable}s): k nearest
 * neighbours, or every code within a radius (inclusive), equal to a single-machine {@link LinearScan} over the
 * whole database, ties included (by id).
 *
 * <pre>
 * SparkSearch search = new SparkSearch(spark);
 * Dataset&lt;Row&gt; top10 = search.knn(queries, database, 10);      // (query_id, rank, id, distance)
 * Dataset&lt;Row&gt; near = search.radius(queries, database, 2);
 * </pre>
 *
 * <p>How: the queries are collected on the driver and broadcast (so they must fit in memory: a million
 * 64-bit queries take 16 MB with their ids). Each partition of the database becomes {@link BinaryCodes} with its
 * ids and is scanned by the engine's {@link LinearScan} (on {@code spark.task.cpus} threads, or
 * {@link #threadsPerTask}), which gives that partition's best k per query by (distance, id). The parts are merged
 * per query by (distance, id) ({@link TopK#merge}, combined on each executor before the shuffle), and the best k
 * of the union of every partition's best k are the best k of the database. A query's rows in the result carry
 * {@code rank} 1, 2, ... in that order; a query with no neighbour (radius search) has no row.
 *
 * <p>The shuffle carries at most (database partitions x queries x k) candidates; for many queries, fewer and
 * larger database partitions keep it small.
 */
public final class SparkSearch {
    /** Result columns. */
    public static final String QUERY_ID = "query_id", RANK = "rank", ID = "id", DISTANCE = "distance";
    /** The result schema: (query_id long, rank int, id long, distance int). */
    public static final StructType RESULT_SCHEMA = new StructType(new StructField[] {
            new StructField(QUERY_ID, DataTypes.LongType, false, Metadata.empty()),
            new StructField(RANK, DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(ID, DataTypes.LongType, false, Metadata.empty()),
            new StructField(DISTANCE, DataTypes.IntegerType, false, Metadata.empty())});

    private final SparkSession spark;
    private final int threadsPerTask;    // 0: spark.task.cpus of the running task

    public SparkSearch(SparkSession spark) {
        this(spark, 0);
    }

    private SparkSearch(SparkSession spark, int threadsPerTask) {
        this.spark = spark;
        this.threadsPerTask = threadsPerTask;
    }

    /** The same search with {@code threads} scan threads per task (default: spark.task.cpus). */
    public SparkSearch threadsPerTask(int threads) {
        if (threads < 1) throw new IllegalArgumentException("SparkSearch.threadsPerTask: " + threads + ", expected >= 1");
        return new SparkSearch(spark, threads);
    }

    /** The min(k, database size) nearest database codes to every query, by (distance, id). */
    public Dataset<Row> knn(Dataset<Row> queries, Dataset<Row> database, int k) {
        if (k < 1) throw new IllegalArgumentException("SparkSearch.knn: k = " + k + ", expected >= 1");
        return search(queries, database, k, -1);
    }

    /** Every database code within Hamming distance {@code radius} (inclusive) of every query, by (distance, id). */
    public Dataset<Row> radius(Dataset<Row> queries, Dataset<Row> database, int radius) {
        if (radius < 0) throw new IllegalArgumentException("SparkSearch.radius: radius = " + radius + ", expected >= 0");
        return search(queries, database, Integer.MAX_VALUE, radius);
    }

    private Dataset<Row> search(Dataset<Row> queries, Dataset<Row> database, int k, int radius) {
        int bits = CodeTable.bits(database);
        int queryBits = CodeTable.bits(queries);
        if (queryBits != bits) {
            throw new IllegalArgumentException("SparkSearch: the database holds " + bits + "-bit codes but the queries have "
                    + queryBits + " bits");
        }
        CodeTable.idIndex(database.schema(), "database");
        BinaryCodes q = CodeTable.collect(queries);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<PackedCodes> broadcast = jsc.broadcast(PackedCodes.of(q));
        JavaPairRDD<Integer, TopK> parts = database.select(CodeTable.ID, CodeTable.CODE).javaRDD()
                .mapPartitionsToPair(new PartitionScan(broadcast, bits, k, radius, threadsPerTask));
        JavaPairRDD<Integer, TopK> merged = parts.reduceByKey(TopK::merge);
        JavaRDD<Row> rows = merged.flatMap(t -> {
            long queryId = broadcast.value().ids()[t._1()];
            TopK top = t._2();
            List<Row> out = new ArrayList<>(top.size());
            for (int i = 0; i < top.size(); i++) {
                out.add(RowFactory.create(queryId, i + 1, top.ids()[i], top.distances()[i]));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, RESULT_SCHEMA);
    }

    /** Codes as plain arrays, for a broadcast. */
    record PackedCodes(int bits, long[] words, long[] ids) implements Serializable {
        static PackedCodes of(BinaryCodes codes) {
            return new PackedCodes(codes.bits(), codes.words(), codes.ids());
        }

        BinaryCodes toCodes() {
            return BinaryCodes.fromWords(bits, words, ids);
        }
    }

    /** One database partition scanned for every query: (query index, that partition's best) pairs. */
    private static final class PartitionScan implements PairFlatMapFunction<Iterator<Row>, Integer, TopK> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<PackedCodes> queries;
        private final int bits;
        private final int k;
        private final int radius;            // < 0: k-NN
        private final int threadsPerTask;

        PartitionScan(Broadcast<PackedCodes> queries, int bits, int k, int radius, int threadsPerTask) {
            this.queries = queries;
            this.bits = bits;
            this.k = k;
            this.radius = radius;
            this.threadsPerTask = threadsPerTask;
        }

        @Override
        public Iterator<Tuple2<Integer, TopK>> call(Iterator<Row> rows) {
            BinaryCodes database = CodeTable.fromRows(rows, 0, 1, bits);
            if (database.size() == 0) return Collections.emptyIterator();
            BinaryCodes q = queries.value().toCodes();
            TaskContext task = TaskContext.get();
            int threads = threadsPerTask > 0 ? threadsPerTask : (task != null ? task.cpus() : 1);
            LinearScan scan = new LinearScan(database);
            Neighbors[] found = radius < 0 ? scan.knnBatch(q, k, threads) : scan.radiusBatch(q, radius, threads);
            List<Tuple2<Integer, TopK>> out = new ArrayList<>(found.length);
            for (int i = 0; i < found.length; i++) {
                if (found[i].size() > 0) out.add(new Tuple2<>(i, new TopK(found[i].distances(), found[i].ids(), k)));
            }
            return out.iterator();
        }
    }
}
