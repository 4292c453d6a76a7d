package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.Normalization;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.IndexSnapshot;
import org.deephash4j.io.IndexFile;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on index folders (issue 18): encode into a folder with the sources inside the segments,
 * encode --append, index delete / compact / info, search by every method (k-NN and radius) equal to brute force,
 * queries by hex code and by id, version-1 files still searched, and a montage that refuses a data set other than
 * the one the index was encoded from (issue 21). Run in process, as the other command-line tests.
 */
class IndexCommandsTest {
    @TempDir
    Path dir;

    private Path model;

    record Outcome(int code, String out, String err) {
    }

    @BeforeEach
    void untrainedModel() throws IOException {
        model = dir.resolve("m16.safetensors");
        try (HashingModel m = new HashingModel(Backends.cpu(), Backbone.LENET, HashingMethods.forEncoding("DHN", 16, 10),
                Normalization.FASHION_MNIST, IdxDataset.FASHION_MNIST_CLASSES, 1)) {
            m.save(model, Map.of());
        }
    }

    // Standard output is captured from System.out (the commands print there), picocli's streams from the writers.
    private static synchronized Outcome run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(old);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    private static Outcome ok(String... args) {
        Outcome o = run(args);
        assertEquals(ExitCode.OK, o.code(), String.join(" ", args) + "\n" + o.err() + o.out());
        return o;
    }

    private static void assertOneLine(Outcome o, int code, String contains) {
        assertEquals(code, o.code(), o.err());
        String firstLine = o.err().lines().findFirst().orElse("");
        assertTrue(firstLine.startsWith("deephash: ") && firstLine.contains(contains), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace without --verbose: " + o.err());
    }

    /** "id distance" of every printed result line, in order. */
    private static List<String> results(String out) {
        List<String> r = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[1].equals("id") && f[3].equals("distance")) r.add(f[2] + " " + f[4]);
        }
        return r;
    }

    private Path encode(String set, String name) {
        Path out = dir.resolve(name);
        ok("encode", "--model", model.toString(), "--embedded", "--set", set, "--out", out.toString());
        return out;
    }

    @Test
    void encodeWritesAFolderWithTheSourcesInItsSegment() throws IOException {
        Path q = encode("query", "q");
        assertTrue(CodeIndex.isIndexFolder(q));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".sources.tsv")), "no side file");
        }
        try (CodeIndex index = CodeIndex.open(q); IndexSnapshot s = index.snapshot()) {
            assertEquals(500, s.size());
            assertEquals(16, s.bits());
            long id = s.liveCodes().id(0);
            IndexSources.Source src = IndexSources.decode(id, s.source(id).orElseThrow());
            assertEquals("data:" + id, src.source());
            assertFalse(src.label().isEmpty());
            assertTrue(src.dataset().startsWith("fashion-mnist-subset:4000:"), src.dataset());
        }
        assertOneLine(run("encode", "--model", model.toString(), "--embedded", "--set", "query", "--out", q.toString()),
                ExitCode.BAD_INPUT, "already holds an index");
    }

    @Test
    void everyMethodGivesBruteForcesAnswer() throws IOException {
        Path db = encode("database", "db");
        Path q = encode("query", "q");
        BinaryCodes dbCodes;
        BinaryCodes qCodes;
        try (CodeIndex a = CodeIndex.open(db); IndexSnapshot s = a.snapshot()) {
            dbCodes = s.liveCodes();
        }
        try (CodeIndex a = CodeIndex.open(q); IndexSnapshot s = a.snapshot()) {
            qCodes = s.liveCodes();
        }
        List<String> expected = new ArrayList<>();
        LinearScan brute = new LinearScan(dbCodes);
        for (int row = 0; row < 3; row++) {
            Neighbors n = brute.knn(qCodes, row, 7);
            for (int j = 0; j < n.size(); j++) expected.add(n.id(j) + " " + n.distance(j));
        }
        for (String method : new String[] {"auto", "scan", "mih"}) {
            Outcome o = ok("search", "--index", db.toString(), "--queries", q.toString(), "--limit", "3", "-k", "7",
                    "--method", method, "--montage", "none");
            assertEquals(expected, results(o.out()), method + ":\n" + o.out());
        }
        // radius: every code within distance 2 of query 0, counted against brute force
        int within = 0;
        for (int i = 0; i < dbCodes.size(); i++) {
            int d = 0;
            for (int w = 0; w < dbCodes.wordsPerCode(); w++) d += Long.bitCount(dbCodes.word(i, w) ^ qCodes.word(0, w));
            if (d <= 2) within++;
        }
        for (String method : new String[] {"scan", "mih"}) {
            Outcome o = ok("search", "--index", db.toString(), "--queries", q.toString(), "--limit", "1", "--radius", "2",
                    "--method", method, "--montage", "none", "-k", "100000");
            assertTrue(o.out().contains(within + " codes within distance 2"), o.out());
            assertEquals(within, results(o.out()).size());
        }
        // by hex code and by id: the code of query 0 finds the same neighbours
        StringBuilder hex = new StringBuilder();
        hex.append(String.format("%016x", qCodes.word(0, 0)), 0, 4);
        Outcome byCode = ok("search", "--index", db.toString(), "--code", hex.toString(), "-k", "7", "--montage", "none");
        assertEquals(expected.subList(0, 7), results(byCode.out()));
        long someId = dbCodes.id(5);
        long otherId = dbCodes.id(9);
        Outcome byId = ok("search", "--index", db.toString(), "--query-id", someId + "," + otherId, "-k", "1", "--montage", "none");
        // each id's own code is at distance 0 (the first hit may be an equal code of a smaller id)
        assertEquals(List.of("0", "0"), results(byId.out()).stream().map(r -> r.split(" ")[1]).toList(), byId.out());
        assertTrue(byId.out().contains("query id " + someId) && byId.out().contains("query id " + otherId), byId.out());
    }

    @Test
    void anOpenClDeviceScansToTheSameAnswer() {
        boolean required = Boolean.getBoolean("deephash.test.requireOpenCl")
                || "true".equalsIgnoreCase(System.getenv("DEEPHASH_TEST_REQUIRE_OPENCL"));
        try {
            Backends.get("opencl:0");
        } catch (RuntimeException | LinkageError e) {
            if (required) throw new AssertionError("OpenCL is required (DEEPHASH_TEST_REQUIRE_OPENCL) but " + e.getMessage(), e);
            Assumptions.abort("skipped: no OpenCL device: " + e.getMessage());
        }
        Path db = encode("database", "db");
        Path q = encode("query", "q");
        for (String[] query : new String[][] {{"-k", "9"}, {"--radius", "3", "-k", "100000"}}) {
            List<String> cpu = null;
            for (String device : new String[] {"cpu", "opencl:0"}) {
                List<String> args = new ArrayList<>(List.of("search", "--index", db.toString(), "--queries", q.toString(),
                        "--limit", "2", "--method", "scan", "--device", device, "--montage", "none"));
                args.addAll(List.of(query));
                Outcome o = ok(args.toArray(String[]::new));
                assertTrue(o.out().contains("method scan on " + (device.equals("cpu") ? "cpu" : "opencl")), o.out());
                if (cpu == null) cpu = results(o.out());
                else assertEquals(cpu, results(o.out()), String.join(" ", query));
            }
            assertFalse(cpu.isEmpty());
        }
    }

    @Test
    void appendDeleteCompactAndInfo() throws IOException {
        Path photos = dir.resolve("photos");
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        Files.createDirectories(one);
        Files.createDirectories(two);
        CommandLineErrorsTest.FileFormatsPng.write(one.resolve("a.png"));
        CommandLineErrorsTest.FileFormatsPng.write(one.resolve("b.png"));
        CommandLineErrorsTest.FileFormatsPng.write(two.resolve("c.png"));
        ok("encode", "--model", model.toString(), "--images", one.toString(), "--out", photos.toString());
        ok("encode", "--model", model.toString(), "--images", two.toString(), "--out", photos.toString(), "--append");
        try (CodeIndex index = CodeIndex.open(photos); IndexSnapshot s = index.snapshot()) {
            assertEquals(2, s.segments());
            assertEquals(3, s.size());
            assertTrue(IndexSources.decode(2, s.source(2).orElseThrow()).source().endsWith("c.png"), "ids continue after the index's");
        }
        Outcome info = ok("index", "info", "--index", photos.toString());
        assertTrue(info.out().contains("3 codes of 16 bits (0 deleted") && info.out().contains("in 2 segments"), info.out());
        // the same data set images twice: their ids are taken
        Path db = encode("query", "q");
        assertOneLine(run("encode", "--model", model.toString(), "--embedded", "--set", "query", "--out", db.toString(), "--append"),
                ExitCode.BAD_INPUT, "encode --append:");
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "0 # a.png\n\n2\n99\n");
        Outcome deleted = ok("index", "delete", "--index", photos.toString(), "--ids", ids.toString());
        assertTrue(deleted.out().contains("deleted 2 of 3 ids"), deleted.out());
        Outcome found = ok("search", "--index", photos.toString(), "--query-id", "1", "-k", "10", "--montage", "none");
        assertEquals(List.of("1"), results(found.out()).stream().map(r -> r.split(" ")[0]).toList(), found.out());
        Outcome compacted = ok("index", "compact", "--index", photos.toString());
        assertTrue(compacted.out().contains("1 codes of 16 bits (0 deleted") && compacted.out().contains("in 1 segment "),
                compacted.out());
        // bad input: one line each
        Files.writeString(ids, "3\nforty-two\n");
        assertOneLine(run("index", "delete", "--index", photos.toString(), "--ids", ids.toString()), ExitCode.BAD_INPUT,
                "line 2: 'forty-two' is not an id");
        assertOneLine(run("index", "delete", "--index", photos.toString(), "--ids", dir.resolve("none.txt").toString()),
                ExitCode.BAD_INPUT, "none.txt");
        assertOneLine(run("index", "compact", "--index", dir.resolve("nothing").toString()), ExitCode.BAD_INPUT, "nothing");
        assertOneLine(run("index"), ExitCode.USAGE, "missing subcommand");
        assertOneLine(run("search", "--index", photos.toString(), "--query-id", "0", "--montage", "none"), ExitCode.BAD_INPUT,
                "holds no live code with this id");
        assertOneLine(run("search", "--index", photos.toString(), "--code", "abc", "--montage", "none"), ExitCode.USAGE,
                "3 hex digits, the index's 16-bit codes take 4");
        assertOneLine(run("search", "--index", photos.toString(), "--code", "12g4", "--montage", "none"), ExitCode.USAGE,
                "is not hex");
        assertOneLine(run("search", "--index", photos.toString(), "--code", "1234", "--method", "fast"), ExitCode.USAGE,
                "search method 'fast': expected auto, scan or mih");
        assertOneLine(run("search", "--index", photos.toString(), "--code", "1234", "--device", "nosuch"), ExitCode.DEVICE,
                "device 'nosuch' is not available");
        assertOneLine(run("encode", "--model", model.toString(), "--images", one.toString(), "--out", dir.resolve("none").toString(),
                "--append"), ExitCode.BAD_INPUT, "no index folder to append to");
    }

    @Test
    void version1FilesAreStillSearchedAndCannotBeChanged() throws IOException {
        Path folder = encode("query", "q");
        Path v1 = dir.resolve("q.dhi");
        BinaryCodes codes;
        try (CodeIndex index = CodeIndex.open(folder); IndexSnapshot s = index.snapshot()) {
            codes = s.liveCodes();
        }
        new IndexFile(codes).write(v1);
        Files.writeString(IndexSources.legacyPathFor(v1), codes.id(0) + "\tdata:" + codes.id(0) + "\tT-shirt/top\n");
        Outcome o = ok("search", "--index", v1.toString(), "--query-id", Long.toString(codes.id(0)), "-k", "3", "--montage", "none");
        assertTrue(o.out().contains("distance   0  data:" + codes.id(0) + "  T-shirt/top"), o.out());
        Outcome fromFolder = ok("search", "--index", folder.toString(), "--query-id", Long.toString(codes.id(0)), "-k", "3",
                "--montage", "none");
        assertEquals(results(fromFolder.out()), results(o.out()));
        assertOneLine(run("index", "compact", "--index", v1.toString()), ExitCode.BAD_INPUT, "is a version-1 index file");
        assertOneLine(run("encode", "--model", model.toString(), "--embedded", "--out", v1.toString()), ExitCode.BAD_INPUT,
                "is a file");
        Path truncated = dir.resolve("t.dhi");
        byte[] bytes = Files.readAllBytes(v1);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLine(run("search", "--index", truncated.toString(), "--code", "0000", "--montage", "none"), ExitCode.BAD_INPUT,
                "t.dhi");
    }

    @Test
    void theMontageRefusesAnotherDataSet() throws IOException {
        Path q = encode("query", "q");
        String id = firstId(q);
        Path montage = dir.resolve("m.png");
        ok("search", "--index", q.toString(), "--query-id", id, "-k", "3", "--embedded", "--montage", montage.toString());
        assertTrue(Files.size(montage) > 0);
        // the embedded subset with one pixel changed, under the same name: another data set
        Path other = dir.resolve("fashion-mnist-subset");
        Files.createDirectories(other);
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            byte[] b;
            try (InputStream in = new GZIPInputStream(IdxDataset.class.getResourceAsStream("fashion-mnist-subset/" + f + ".gz"))) {
                b = in.readAllBytes();
            }
            if (f.equals("t10k-images-idx3-ubyte")) b[16 + 5] ^= 1;
            Files.write(other.resolve(f), b);
        }
        Files.delete(montage);
        assertOneLine(run("search", "--index", q.toString(), "--query-id", id, "-k", "3", "--data", other.toString(),
                "--queries-per-class", "50", "--train-per-class", "200", "--montage", montage.toString()),
                ExitCode.BAD_INPUT, "but the data set loaded for the montage is");
        assertFalse(Files.exists(montage), "no montage of other images");
        // without pixels the search needs no data set
        ok("search", "--index", q.toString(), "--query-id", id, "-k", "3", "--data", other.toString(), "--montage", "none");
    }

    private static String firstId(Path index) throws IOException {
        try (CodeIndex a = CodeIndex.open(index); IndexSnapshot s = a.snapshot()) {
            return Long.toString(s.liveCodes().id(0));
        }
    }
}
