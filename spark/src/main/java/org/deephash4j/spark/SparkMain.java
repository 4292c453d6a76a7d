package org.deephash4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The entry point for {@code spark-submit} (the main class of {@code deephash4j-spark-*-submit.jar}):
 * <pre>
 * encode --model FILE (--images DIR | --table PATH) --out PATH [--batch N] [--threads-per-task N]
 * search --database PATH --queries PATH (-k K | --radius R) --out PATH [--threads-per-task N]
 * </pre>
 * {@code encode --images DIR} reads every PNG, JPEG, BMP and GIF file under DIR (recursively, through
 * {@code binaryFile}, so any file system Spark reads) and numbers them 0, 1, ... in path order; the output has
 * (path, id, code). {@code --table} takes a Parquet table with {@code id} and an image column
 * ({@link ImageColumn}). {@code search} writes (query_id, rank, id, distance) as Parquet. Exit codes: 0 ok,
 * 1 failure, 2 bad command line; errors are one line on standard error.
 */
public final class SparkMain {
    private static final String USAGE = """
            usage: spark-submit --class org.deephash4j.spark.SparkMain deephash4j-spark-submit.jar COMMAND [options]
              encode --model FILE (--images DIR | --table PATH) --out PATH [--batch N] [--threads-per-task N]
              search --database PATH --queries PATH (-k K | --radius R) --out PATH [--threads-per-task N]""";
    private static final Set<String> FLAGS = Set.of("--model", "--images", "--table", "--out", "--batch",
            "--threads-per-task", "--database", "--queries", "-k", "--radius");

    private SparkMain() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("deephash4j " + (args.length > 0 ? args[0] : "")).getOrCreate();
        int code;
        try {
            code = run(spark, args, System.out, System.err);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /** Runs one command on {@code spark}; returns the exit code. */
    static int run(SparkSession spark, String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            if (args.length == 0) throw new UsageException("no command");
            options = parse(args);
        } catch (UsageException e) {
            err.println("deephash4j-spark: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            long start = System.nanoTime();
            String summary = switch (args[0]) {
                case "encode" -> encode(spark, options);
                case "search" -> search(spark, options);
                default -> throw new UsageException("unknown command '" + args[0] + "'; commands: encode, search");
            };
            out.printf(Locale.ROOT, "%s in %.1f s%n", summary, (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (UsageException e) {
            err.println("deephash4j-spark: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Exception e) {                         // Spark throws its AnalysisException (checked) undeclared
            err.println("deephash4j-spark " + args[0] + ": " + rootMessage(e));
            return 1;
        }
    }

    private static String encode(SparkSession spark, Map<String, String> o) throws IOException {
        String model = require(o, "--model");
        String outPath = require(o, "--out");
        if (o.containsKey("--images") == o.containsKey("--table")) {
            throw new UsageException("encode takes one of --images DIR and --table PATH");
        }
        int batch = o.containsKey("--batch") ? positive(o, "--batch") : 256;
        int threads = o.containsKey("--threads-per-task") ? positive(o, "--threads-per-task") : 0;
        SparkEncoder encoder = SparkEncoder.load(spark, Path.of(model)).batchSize(batch);
        if (threads > 0) encoder = encoder.threadsPerTask(threads);
        Dataset<Row> images = o.containsKey("--images") ? imageFolder(spark, o.get("--images")) : spark.read().parquet(o.get("--table"));
        encoder.encodeToParquet(images, outPath);
        long n = spark.read().parquet(outPath).count();
        return "encoded " + n + " images into " + outPath + " (" + encoder.bits() + "-bit codes, " + encoder.modelInfo().method() + ")";
    }

    private static String search(SparkSession spark, Map<String, String> o) {
        String databasePath = require(o, "--database");
        String queriesPath = require(o, "--queries");
        String outPath = require(o, "--out");
        if (o.containsKey("-k") == o.containsKey("--radius")) throw new UsageException("search takes one of -k K and --radius R");
        boolean knn = o.containsKey("-k");
        int k = knn ? positive(o, "-k") : 0;
        int radius = knn ? 0 : nonNegative(o, "--radius");
        SparkSearch search = new SparkSearch(spark);
        if (o.containsKey("--threads-per-task")) search = search.threadsPerTask(positive(o, "--threads-per-task"));

        Dataset<Row> database = spark.read().parquet(databasePath);
        Dataset<Row> queries = spark.read().parquet(queriesPath);
        Dataset<Row> result = knn ? search.knn(queries, database, k) : search.radius(queries, database, radius);
        result.write().mode(SaveMode.ErrorIfExists).parquet(outPath);
        long rows = spark.read().parquet(outPath).count();
        return "searched " + (knn ? k + " nearest" : "all within radius " + radius) + ": " + rows + " rows into " + outPath;
    }

    /**
     * The image files under {@code dir} as (path, id, content), ids 0, 1, ... in path order. Only the paths are
     * sorted and numbered; the file bytes join them by path.
     */
    static Dataset<Row> imageFolder(SparkSession spark, String dir) {
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{png,jpg,jpeg,bmp,gif,PNG,JPG,JPEG,BMP,GIF}")
                .load(dir);
        JavaRDD<Row> numbered = files.select("path").orderBy("path").javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._1().getString(0), t._2()));
        StructType schema = new StructType(new StructField[] {
                new StructField("path", DataTypes.StringType, false, Metadata.empty()),
                new StructField("id", DataTypes.LongType, false, Metadata.empty())});
        return spark.createDataFrame(numbered, schema).join(files.select("path", "content"), "path");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (!FLAGS.contains(flag)) throw new UsageException("unknown option '" + flag + "'");
            if (i + 1 >= args.length) throw new UsageException(flag + " needs a value");
            if (options.put(flag, args[++i]) != null) throw new UsageException(flag + " is given twice");
        }
        return options;
    }

    private static String require(Map<String, String> o, String flag) {
        String v = o.get(flag);
        if (v == null) throw new UsageException("missing " + flag);
        return v;
    }

    private static int positive(Map<String, String> o, String flag) {
        int v = integer(o, flag);
        if (v < 1) throw new UsageException(flag + " " + v + ": expected >= 1");
        return v;
    }

    private static int nonNegative(Map<String, String> o, String flag) {
        int v = integer(o, flag);
        if (v < 0) throw new UsageException(flag + " " + v + ": expected >= 0");
        return v;
    }

    private static int integer(Map<String, String> o, String flag) {
        try {
            return Integer.parseInt(o.get(flag));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " '" + o.get(flag) + "' is not an integer");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** A bad command line: exit code 2 with the usage. */
    private static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
