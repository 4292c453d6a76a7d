package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.DataSource;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.Labels;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.IndexFile;
import org.deephash4j.metrics.MeanAveragePrecision;
import org.deephash4j.metrics.PrecisionAtK;
import org.deephash4j.metrics.PrecisionWithinRadius;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eval and encode wired right: the figures eval prints (table and JSON) are the metrics computed directly on
 * the checkpoint's codes, each with its own k; both commands use the split seed the checkpoint records.
 */
class EvalWiringTest {
    private static final long SPLIT_SEED = 5;
    private static final int MAP_K = 300;
    private static final int PRECISION_K = 7;

    @TempDir
    static Path dir;
    static Path model;
    static double map, mapAtK, precisionR2, recallR2, precisionAtK;
    static SplitDataset split;

    @BeforeAll
    static void directFigures() throws IOException {
        model = dir.resolve("dhn-16.safetensors");
        try (HashingModel m = new HashingModel(Backends.cpu(), Backbone.LENET, HashingMethods.forEncoding("DHN", 16, 10),
                Normalization.FASHION_MNIST, IdxDataset.FASHION_MNIST_CLASSES, 3)) {
            m.save(model, Map.of("split.seed", Long.toString(SPLIT_SEED)));
            split = DataSource.embeddedSubset().split(50, 200, SPLIT_SEED, true);
            BinaryCodes q = m.encode(split.data(), split.split().query());
            BinaryCodes db = m.encode(split.data(), split.split().database());
            Labels ql = split.data().labelsOf(split.split().query());
            Labels dl = split.data().labelsOf(split.split().database());
            map = MeanAveragePrecision.compute(q, ql, db, dl);
            mapAtK = MeanAveragePrecision.atK(q, ql, db, dl, MAP_K);
            PrecisionWithinRadius.Result r2 = PrecisionWithinRadius.compute(q, ql, db, dl);
            precisionR2 = r2.precision();
            recallR2 = r2.recall();
            precisionAtK = PrecisionAtK.compute(q, ql, db, dl, PRECISION_K);
        }
        // the figures differ from each other, so a figure printed in another's place is seen
        assertTrue(Math.abs(mapAtK - map) > 1e-3 && Math.abs(precisionAtK - mapAtK) > 1e-3, map + " " + mapAtK + " " + precisionAtK);
    }

    /** Standard output of one command (eval and encode print there). */
    private static String stdout(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(before);
        }
        assertEquals(ExitCode.OK, code, err.toString());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double json(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void jsonFiguresAreTheMetricsComputedDirectly() {
        String out = stdout("eval", "--model", model.toString(), "--embedded", "--map-k", "" + MAP_K, "--precision-k", "" + PRECISION_K,
                "--json");
        assertEquals(map, json(out, "map"), 1e-6, out);
        assertEquals(mapAtK, json(out, "map_at_k"), 1e-6, out);
        assertEquals(MAP_K, json(out, "k"), out);
        assertEquals(precisionR2, json(out, "precision_radius2"), 1e-6, out);
        assertEquals(recallR2, json(out, "recall_radius2"), 1e-6, out);
        assertEquals(precisionAtK, json(out, "precision_at_k"), 1e-6, out);
        assertEquals(PRECISION_K, json(out, "precision_k"), out);
        assertEquals(SPLIT_SEED, json(out, "split_seed"), "eval used the checkpoint's split seed: " + out);
        assertEquals(500, json(out, "queries"), out);
        assertEquals(3500, json(out, "database"), out);
    }

    @Test
    void tableFiguresAreTheMetricsComputedDirectly() {
        String out = stdout("eval", "--model", model.toString(), "--embedded", "--map-k", "" + MAP_K, "--precision-k", "" + PRECISION_K);
        List<String> lines = out.lines().toList();
        int header = 0;
        while (header < lines.size() && !lines.get(header).startsWith("method")) header++;
        assertTrue(lines.get(header).contains("mAP@" + MAP_K) && lines.get(header).contains("P@" + PRECISION_K), out);
        String[] row = lines.get(header + 1).trim().split("\\s+");
        assertEquals(List.of("DHN", "16"), List.of(row[0], row[1]), out);
        double[] printed = Arrays.stream(row, 2, 7).mapToDouble(Double::parseDouble).toArray();
        assertArrayEquals(new double[] {map, mapAtK, precisionR2, recallR2, precisionAtK}, printed, 5e-5, out);
        assertTrue(out.contains("(seed " + SPLIT_SEED + ")"), "the split line names the checkpoint's split seed: " + out);
    }

    @Test
    void encodeUsesTheCheckpointsSplitSeed() throws IOException {
        Path q = dir.resolve("q.dhi");
        stdout("encode", "--model", model.toString(), "--embedded", "--set", "query", "--out", q.toString());
        long[] ids = IndexFile.read(q).codes().ids();
        assertArrayEquals(Arrays.stream(split.split().query()).asLongStream().toArray(), ids, "query ids are the seed-5 split's");
        Path other = dir.resolve("q0.dhi");
        stdout("encode", "--model", model.toString(), "--embedded", "--set", "query", "--split-seed", "0", "--out", other.toString());
        assertFalse(Arrays.equals(ids, IndexFile.read(other).codes().ids()), "--split-seed 0 draws other queries");
    }
}
