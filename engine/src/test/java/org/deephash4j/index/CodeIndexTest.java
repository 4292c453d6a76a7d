package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deephash4j.io.IndexFile;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder index against brute force: every method (auto, scan, mih), with and without id filters, on random and
 * clustered codes spread over several segments whose id ranges interleave, after deletions and after compaction;
 * side data, version-1 files, uniqueness, and the files a change leaves.
 */
class CodeIndexTest {
    @TempDir
    Path dir;

    private static final SearchMethod[] METHODS = SearchMethod.values();

    /** Four segments: clustered and random codes, ids interleaved across segments. */
    static CodeIndex build(Path folder, int bits, int perSegment, Random rnd) throws IOException {
        CodeIndex index = CodeIndex.create(folder, bits);
        for (int s = 0; s < 4; s++) {
            BinaryCodes codes = s % 2 == 0 ? RandomCodes.clustered(perSegment, bits, 6, 0.05, rnd)
                    : RandomCodes.uniform(perSegment, bits, rnd);
            index.append(CodeBatch.of(codes.withIds(IndexOracle.shuffledIds(perSegment, s, 4, rnd))),
                    s == 3 ? 0 : -1);   // the last segment without tables: mih scans it
        }
        return index;
    }

    private static BinaryCodes queries(IndexSnapshot s, int bits, Random rnd) {
        BinaryCodes live = s.liveCodes();
        return RandomCodes.uniform(2, bits, rnd).concat(RandomCodes.clustered(2, bits, 1, 0.2, rnd))
                .concat(live.select(new int[] {0, live.size() / 2, live.size() - 1}));
    }

    private static void checkEverything(IndexSnapshot s, BinaryCodes queries, int[] ks, int[] radii, Random rnd,
                                        String what) {
        BinaryCodes live = s.liveCodes();
        long[] some = new long[live.size() / 3];
        for (int i = 0; i < some.length; i++) some[i] = live.id(rnd.nextInt(live.size()));
        IdFilter[] filters = {null, IdFilter.of(live.id(0), live.id(live.size() - 1), 123456789L),
                IdFilter.of(some)};
        for (IdFilter filter : filters) {
            BinaryCodes candidates = IndexOracle.candidates(s, filter);
            Hits[][] knn = new Hits[ks.length][queries.size()];
            Hits[][] within = new Hits[radii.length][queries.size()];
            for (int q = 0; q < queries.size(); q++) {
                for (int i = 0; i < ks.length; i++) knn[i][q] = IndexOracle.knn(candidates, queries, q, ks[i]);
                for (int i = 0; i < radii.length; i++) within[i][q] = IndexOracle.radius(candidates, queries, q, radii[i]);
            }
            for (SearchMethod method : METHODS) {
                for (int threads : new int[] {1, 3}) {
                    SearchOptions o = SearchOptions.defaults().withMethod(method).withFilter(filter)
                            .withThreads(threads);
                    String where = what + " method=" + method + " threads=" + threads + " filter="
                            + (filter == null ? "none" : filter.size());
                    for (int i = 0; i < ks.length; i++) {
                        Hits[] batch = s.knnBatch(queries, ks[i], o);
                        for (int q = 0; q < queries.size(); q++) {
                            assertEquals(knn[i][q], batch[q], where + " k=" + ks[i] + " query " + q);
                            if (threads == 3) assertEquals(knn[i][q], s.knn(queries, q, ks[i], o), where + " single");
                        }
                    }
                    for (int i = 0; i < radii.length; i++) {
                        Hits[] batch = s.radiusBatch(queries, radii[i], o);
                        for (int q = 0; q < queries.size(); q++) {
                            assertEquals(within[i][q], batch[q], where + " r=" + radii[i] + " query " + q);
                            if (threads == 3) {
                                assertEquals(within[i][q], s.radius(queries, q, radii[i], o), where + " single");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyMethodEqualsBruteForceAcrossSegmentsDeletionsAndCompaction() throws IOException {
        Random rnd = new Random(1801);
        for (int bits : new int[] {16, 64, 100}) {
            Path folder = dir.resolve("bits" + bits);
            try (CodeIndex index = build(folder, bits, 700, rnd)) {
                int[] ks = {1, 10, 300, 5000};
                int[] radii = {0, 1, 2, 3, 6, bits};
                BinaryCodes queries;
                try (IndexSnapshot s = index.snapshot()) {
                    assertEquals(4, s.segments());
                    assertEquals(2800, s.size());
                    queries = queries(s, bits, rnd);
                    checkEverything(s, queries, ks, radii, rnd, "bits=" + bits + " 4 segments");
                }
                long[] doomed = new long[400];
                for (int i = 0; i < doomed.length; i++) doomed[i] = 7L * i;       // ids of every segment
                long deleted = index.delete(doomed);
                try (IndexSnapshot s = index.snapshot()) {
                    assertEquals(2800 - deleted, s.size());
                    assertTrue(deleted > 300, "deleted " + deleted);
                    for (long id : doomed) assertFalse(s.contains(id), "deleted id " + id + " still found");
                    checkEverything(s, queries, ks, radii, rnd, "bits=" + bits + " after delete");
                }
                index.compact();
                try (IndexSnapshot s = index.snapshot()) {
                    assertEquals(1, s.segments());
                    assertEquals(2800 - deleted, s.size());
                    assertEquals(1, s.stats().withTables());
                    checkEverything(s, queries, ks, radii, rnd, "bits=" + bits + " compacted");
                }
            }
        }
    }

    @Test
    void oneQueryOverAMillionCodesIsScannedInParallelChunks() throws IOException {
        Random rnd = new Random(1802);
        try (CodeIndex index = CodeIndex.create(dir.resolve("big"), 64)) {
            index.append(CodeBatch.of(RandomCodes.clustered(1_100_000, 64, 50, 0.1, rnd)), 0);
            index.append(CodeBatch.of(RandomCodes.uniform(3_000, 64, rnd).withIds(IndexOracle.shuffledIds(3000,
                    5_000_000L, 1, rnd))), 0);
            index.delete(5L, 77L, 1_099_999L, 5_000_001L);
            try (IndexSnapshot s = index.snapshot()) {
                BinaryCodes live = s.liveCodes();
                BinaryCodes q = RandomCodes.uniform(1, 64, rnd).concat(live.select(new int[] {12345}));
                for (int qi = 0; qi < q.size(); qi++) {
                    Hits expected = IndexOracle.knn(live, q, qi, 100);
                    Hits radiusExpected = IndexOracle.radius(live, q, qi, 12);
                    for (int threads : new int[] {1, 2, 4}) {
                        SearchOptions o = SearchOptions.defaults().withMethod(SearchMethod.SCAN).withThreads(threads);
                        assertEquals(expected, s.knn(q, qi, 100, o), "threads=" + threads + " query " + qi);
                        assertEquals(radiusExpected, s.radius(q, qi, 12, o), "radius threads=" + threads);
                    }
                }
            }
        }
    }

    @Test
    void sideDataTravelsWithItsCodesThroughCompaction() throws IOException {
        Random rnd = new Random(1803);
        try (CodeIndex index = CodeIndex.create(dir.resolve("side"), 48)) {
            for (int s = 0; s < 3; s++) {
                int n = 200 + s;
                BinaryCodes codes = RandomCodes.uniform(n, 48, rnd).withIds(IndexOracle.shuffledIds(n, s, 3, rnd));
                int[] labels = new int[n];
                String[] sources = new String[n];
                float[] features = new float[n * 3];
                for (int i = 0; i < n; i++) {
                    labels[i] = (int) (codes.id(i) % 10);
                    sources[i] = "images/\u00e9t\u00e9-" + codes.id(i) + ".png";
                    for (int j = 0; j < 3; j++) features[i * 3 + j] = codes.id(i) + j / 4f;
                }
                index.append(CodeBatch.of(codes).withLabels(labels).withSources(sources).withFeatures(features, 3));
            }
            index.delete(3L, 4L, 5L);
            for (int round = 0; round < 2; round++) {
                try (IndexSnapshot s = index.snapshot()) {
                    assertTrue(s.hasLabels() && s.hasSources());
                    assertEquals(3, s.featureDim());
                    BinaryCodes live = s.liveCodes();
                    assertEquals(603 - 3, live.size());
                    for (int i = 0; i < live.size(); i++) {
                        long id = live.id(i);
                        assertEquals((int) (id % 10), s.label(id).getAsInt(), "label of " + id);
                        assertEquals("images/\u00e9t\u00e9-" + id + ".png", s.source(id).orElseThrow());
                        assertArrayEquals(new float[] {id, id + 0.25f, id + 0.5f}, s.features(id).orElseThrow());
                        assertEquals(live.row(i), s.code(id).orElseThrow());
                    }
                    assertTrue(s.source(4L).isEmpty(), "a deleted id has no source");
                }
                index.compact();
            }
        }
    }

    @Test
    void idsStayUniqueAndBadInputIsRefused() throws IOException {
        Random rnd = new Random(1804);
        try (CodeIndex index = CodeIndex.create(dir.resolve("unique"), 32)) {
            index.append(CodeBatch.of(RandomCodes.uniform(100, 32, rnd)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.append(
                    CodeBatch.of(RandomCodes.uniform(3, 32, rnd).withIds(new long[] {500, 42, 501}))));
            assertTrue(e.getMessage().contains("id 42 is already in the index"), e.getMessage());
            index.delete(42);
            index.append(CodeBatch.of(RandomCodes.uniform(3, 32, rnd).withIds(new long[] {500, 42, 501})));
            try (IndexSnapshot s = index.snapshot()) {
                assertEquals(102, s.size());
                assertTrue(s.contains(42));
            }
            e = assertThrows(IllegalArgumentException.class, () -> CodeBatch.of(RandomCodes.uniform(2, 32, rnd)
                    .withIds(new long[] {9, 9})));
            assertTrue(e.getMessage().contains("id 9 appears twice"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> index.append(CodeBatch.of(RandomCodes.uniform(2, 48, rnd))));
            assertTrue(e.getMessage().contains("32-bit codes but the new codes have 48 bits"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> index.append(CodeBatch.of(RandomCodes.uniform(2,
                    32, rnd).withIds(new long[] {1000, 1001})).withLabels(new int[] {1, 2})));
            assertTrue(e.getMessage().contains("keeps no side data") && e.getMessage().contains("a label"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> index.append(CodeBatch.of(RandomCodes.uniform(2, 32,
                    rnd).withIds(new long[] {2000, 2001})), 33));
            assertTrue(e.getMessage().contains("substrings"), e.getMessage());
            try (IndexSnapshot s = index.snapshot()) {
                e = assertThrows(IllegalArgumentException.class, () -> s.knn(RandomCodes.uniform(1, 16, rnd), 0, 1));
                assertTrue(e.getMessage().contains("32-bit codes but the queries have 16 bits"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> s.knn(RandomCodes.uniform(1, 32, rnd), 1, 1));
                assertTrue(e.getMessage().contains("query row 1 of 1"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> s.knn(RandomCodes.uniform(1, 32, rnd), 0, 0));
                assertThrows(IllegalArgumentException.class, () -> s.radius(RandomCodes.uniform(1, 32, rnd), 0, -1));
            }
            assertEquals(2, index.stats().segments());
        }
        assertThrows(IllegalArgumentException.class, () -> CodeIndex.create(dir.resolve("unique"), 32));
        assertThrows(IllegalArgumentException.class, () -> SearchMethod.parse("fast"));
        assertEquals(SearchMethod.MIH, SearchMethod.parse("MIH"));
    }

    @Test
    void version1FilesOpenReadOnlyAndConvert() throws IOException {
        Random rnd = new Random(1805);
        BinaryCodes codes = RandomCodes.clustered(3000, 64, 20, 0.05, rnd).withIds(IndexOracle.shuffledIds(3000, 10,
                3, rnd));
        float[] features = new float[3000 * 2];
        for (int i = 0; i < features.length; i++) features[i] = i;
        Path v1 = dir.resolve("old.dhi");
        new IndexFile(codes, features, 2).write(v1);
        BinaryCodes q = RandomCodes.clustered(3, 64, 1, 0.2, rnd).concat(codes.select(new int[] {7}));
        try (CodeIndex old = CodeIndex.open(v1)) {
            assertTrue(old.readOnly());
            try (IndexSnapshot s = old.snapshot()) {
                assertEquals(3000, s.size());
                for (SearchMethod m : METHODS) {
                    SearchOptions o = SearchOptions.defaults().withMethod(m);
                    for (int qi = 0; qi < q.size(); qi++) {
                        assertEquals(IndexOracle.knn(codes, q, qi, 25), s.knn(q, qi, 25, o), "v1 " + m);
                        assertEquals(IndexOracle.radius(codes, q, qi, 3), s.radius(q, qi, 3, o), "v1 " + m);
                    }
                }
                int row = 1234;
                assertArrayEquals(new float[] {2 * row, 2 * row + 1}, s.features(codes.id(row)).orElseThrow());
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> old.delete(10));
            assertTrue(e.getMessage().contains("version-1") && e.getMessage().contains("convert"), e.getMessage());
            assertTrue(old.stats().withTables() == 1);
        }
        try (CodeIndex converted = CodeIndex.convert(v1, dir.resolve("converted"))) {
            assertFalse(converted.readOnly());
            try (IndexSnapshot s = converted.snapshot()) {
                for (int qi = 0; qi < q.size(); qi++) {
                    assertEquals(IndexOracle.knn(codes, q, qi, 25), s.knn(q, qi, 25), "converted");
                }
            }
            converted.verify();
        }
    }

    @Test
    void aChangeRemovesWhatAKilledChangeLeftAndNothingElse() throws IOException {
        Path folder = dir.resolve("leftovers");
        Random rnd = new Random(1806);
        try (CodeIndex index = CodeIndex.create(folder, 64)) {
            index.append(CodeBatch.of(RandomCodes.uniform(50, 64, rnd)));
            for (String junk : new String[] {"seg-99.dhseg", "seg-99.dhmih", "seg-1-del-7.dhdel", ".MANIFEST.123.tmp",
                    ".seg-1-del-3.dhdel.99.tmp", "notes.txt"}) {
                Files.writeString(folder.resolve(junk), "half written");
            }
            index.append(CodeBatch.of(RandomCodes.uniform(50, 64, rnd).withIds(IndexOracle.shuffledIds(50, 100, 1,
                    rnd))));
            index.delete(3, 4, 104);
            List<String> names = names(folder);
            assertEquals(List.of("LOCK", "MANIFEST", "notes.txt", "seg-1-del-4.dhdel", "seg-1.dhmih", "seg-1.dhseg",
                    "seg-2-del-4.dhdel", "seg-2.dhmih", "seg-2.dhseg"), names);
            index.compact();
            assertEquals(List.of("LOCK", "MANIFEST", "notes.txt", "seg-3.dhmih", "seg-3.dhseg"), names(folder));
            index.verify();
            IndexStats st = index.stats();
            assertEquals(97, st.live());
            assertEquals(5, st.generation());
            assertTrue(st.bytes() > 97 * 16, "bytes " + st.bytes());
        }
    }

    static List<String> names(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    @Test
    void aSnapshotKeepsItsVersionWhileTheIndexChanges() throws IOException {
        Random rnd = new Random(1807);
        try (CodeIndex index = CodeIndex.create(dir.resolve("iso"), 64)) {
            index.append(CodeBatch.of(RandomCodes.uniform(500, 64, rnd)));
            BinaryCodes q = RandomCodes.uniform(1, 64, rnd);
            try (IndexSnapshot before = index.snapshot()) {
                Hits all = before.knn(q, 0, 500);
                index.delete(1, 2, 3);
                index.append(CodeBatch.of(RandomCodes.uniform(10, 64, rnd).withIds(IndexOracle.shuffledIds(10, 1000,
                        1, rnd))));
                index.compact();     // the old segment files are deleted; the snapshot's mapping keeps them
                assertEquals(all, before.knn(q, 0, 500), "the old snapshot changed");
                assertTrue(before.contains(2));
                try (IndexSnapshot after = index.snapshot()) {
                    assertEquals(507, after.size());
                    assertFalse(after.contains(2));
                    assertEquals(before.generation() + 3, after.generation());
                }
                try (CodeIndex reopened = CodeIndex.open(dir.resolve("iso")); IndexSnapshot s = reopened.snapshot()) {
                    assertEquals(507, s.size());
                }
            }
            assertThrows(IllegalStateException.class, () -> {
                IndexSnapshot s = index.snapshot();
                s.close();
                s.knn(q, 0, 1);
            });
        }
    }

    @Test
    void theCpuBackendAsDeviceSearchesOnTheCpu() throws IOException {
        Random rnd = new Random(1809);
        try (CodeIndex index = build(dir.resolve("cpu-device"), 64, 300, rnd); IndexSnapshot s = index.snapshot()) {
            BinaryCodes q = queries(s, 64, rnd);
            BinaryCodes live = s.liveCodes();
            SearchOptions o = SearchOptions.defaults().withDevice(org.deephash4j.backend.Backends.cpu());
            for (int qi = 0; qi < q.size(); qi++) {
                assertEquals(IndexOracle.knn(live, q, qi, 30), s.knn(q, qi, 30, o), "cpu device knn");
                assertEquals(IndexOracle.radius(live, q, qi, 5), s.radius(q, qi, 5, o), "cpu device radius");
            }
        }
    }

    @Test
    void deletingEverythingLeavesAnEmptyIndex() throws IOException {
        Random rnd = new Random(1808);
        try (CodeIndex index = CodeIndex.create(dir.resolve("empty"), 20)) {
            index.append(CodeBatch.of(RandomCodes.uniform(10, 20, rnd)));
            index.append(CodeBatch.of(RandomCodes.uniform(0, 20, rnd)));
            assertEquals(10, index.delete(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
            assertEquals(0, index.delete(3));
            try (IndexSnapshot s = index.snapshot()) {
                assertEquals(0, s.segments());
                assertEquals(0, s.knn(RandomCodes.uniform(1, 20, rnd), 0, 5).size());
                assertEquals(0, s.radius(RandomCodes.uniform(1, 20, rnd), 0, 20).size());
            }
            index.compact();
            assertEquals(List.of("LOCK", "MANIFEST"), names(dir.resolve("empty")));
        }
    }
}
