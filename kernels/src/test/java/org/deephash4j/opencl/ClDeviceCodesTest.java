package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deephash4j.backend.DeviceCodes;
import org.deephash4j.index.CodeBatch;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.Hits;
import org.deephash4j.index.IdFilter;
import org.deephash4j.index.IndexSnapshot;
import org.deephash4j.index.SearchMethod;
import org.deephash4j.index.SearchOptions;
import org.deephash4j.search.BinaryCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hamming_codes.cl, exactly: histograms and selections against a brute-force popcount in Java, on code lengths
 * of 1, 7, 64, 65 and 130 bits, segments of awkward sizes (1, 63, 64, 65, 127, a prime above 500, one large case),
 * exclusion masks, bounds from -1 to bits, and chunks forced small so that a segment spans several device buffers
 * with a short last one; then whole index searches on the device against brute force.
 */
class ClDeviceCodesTest {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    private static BinaryCodes random(long seed, int n, int bits) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * bits];
        for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? 1f : -1f;
        return BinaryCodes.fromSigns(v, bits);
    }

    private static MemorySegment wordMajor(Arena arena, BinaryCodes c) {
        int w = c.wordsPerCode();
        int n = c.size();
        MemorySegment s = arena.allocate(Math.max(8, 8L * w * n), 64);
        for (int j = 0; j < w; j++) for (int i = 0; i < n; i++) s.set(WORD, 8 * ((long) j * n + i), c.word(i, j));
        return s;
    }

    private static boolean excluded(long[] mask, int row) {
        return mask != null && (mask[row >>> 6] >>> (row & 63) & 1) != 0;
    }

    @Test
    void histogramsAndSelectionsAreExact() {
        OpenClBackend cl = OpenClTestSupport.backend();
        long seed = 11;
        try (Arena arena = Arena.ofShared()) {
            for (int bits : new int[] {1, 7, 64, 65, 130}) {
                int words = BinaryCodes.wordsFor(bits);
                for (int n : new int[] {1, 63, 64, 65, 127, 521, 20_011}) {
                    BinaryCodes db = random(seed++, n, bits);
                    BinaryCodes queries = random(seed++, 5, bits);
                    SplittableRandom r = new SplittableRandom(seed++);
                    long[] mask = new long[(n + 63) >>> 6];
                    for (int i = 0; i < n; i++) if (r.nextInt(4) == 0) mask[i >>> 6] |= 1L << i;
                    int[][] d = new int[5][n];
                    for (int qi = 0; qi < 5; qi++) for (int i = 0; i < n; i++) d[qi][i] = db.distance(i, queries, qi);
                    MemorySegment cols = wordMajor(arena, db);
                    for (long chunkBytes : new long[] {8L * words * 64, 8L * words * 192, Long.MAX_VALUE}) {
                        try (ClDeviceCodes codes = new ClDeviceCodes(cl, bits, cols, n, chunkBytes)) {
                            String shape = "bits=" + bits + " n=" + n + " chunks=" + codes.chunks();
                            for (long[] ex : new long[][] {null, mask}) {
                                check(codes, queries, d, ex, r, shape + (ex == null ? "" : " with exclusions"));
                            }
                        }
                    }
                }
            }
        }
    }

    private static void check(DeviceCodes codes, BinaryCodes queries, int[][] d, long[] ex, SplittableRandom r,
                              String shape) {
        int bits = codes.bits();
        int n = codes.size();
        int[] hist = new int[5 * (bits + 1)];
        codes.histogram(hist, queries.words(), 5, ex);
        for (int qi = 0; qi < 5; qi++) {
            int[] expected = new int[bits + 1];
            for (int i = 0; i < n; i++) if (!excluded(ex, i)) expected[d[qi][i]]++;
            for (int dd = 0; dd <= bits; dd++) {
                if (hist[qi * (bits + 1) + dd] != expected[dd]) {
                    fail("hamming_histogram " + shape + " query " + qi + ": hist[" + dd + "] = "
                            + hist[qi * (bits + 1) + dd] + " vs " + expected[dd]);
                }
            }
        }
        int[] bounds = {-1, 0, r.nextInt(bits + 1), bits / 2, bits};
        DeviceCodes.Selection sel = codes.select(queries.words(), 5, bounds, ex);
        for (int qi = 0; qi < 5; qi++) {
            List<long[]> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!excluded(ex, i) && d[qi][i] <= bounds[qi]) expected.add(new long[] {d[qi][i], i});
            }
            expected.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int from = sel.offsets()[qi];
            int count = sel.offsets()[qi + 1] - from;
            assertEquals(expected.size(), count, "hamming_select " + shape + " query " + qi + " bound " + bounds[qi]);
            for (int j = 0; j < count; j++) {
                if (sel.rows()[from + j] != expected.get(j)[1] || sel.distances()[from + j] != expected.get(j)[0]) {
                    fail("hamming_select " + shape + " query " + qi + " bound " + bounds[qi] + ": entry " + j
                            + " = row " + sel.rows()[from + j] + " d " + sel.distances()[from + j] + " vs row "
                            + expected.get(j)[1] + " d " + expected.get(j)[0]);
                }
            }
        }
    }

    /** Whole index searches on the device: several segments, tombstones, filters, k-NN and radius. */
    @Test
    void indexSearchesOnTheDeviceEqualBruteForce() throws IOException {
        OpenClBackend cl = OpenClTestSupport.backend();
        Path folder = dir.resolve("index");
        SplittableRandom r = new SplittableRandom(5);
        try (CodeIndex index = CodeIndex.create(folder, 64)) {
            for (int s = 0; s < 3; s++) {
                int n = 700 + 300 * s;
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) ids[i] = 3L * i + s;     // ids of the segments interleave
                index.append(CodeBatch.of(random(100 + s, n, 64).withIds(ids)));
            }
            long[] doomed = new long[200];
            for (int i = 0; i < doomed.length; i++) doomed[i] = 11L * i;
            index.delete(doomed);
            try (IndexSnapshot s = index.snapshot()) {
                BinaryCodes live = s.liveCodes();
                BinaryCodes queries = random(7, 4, 64).concat(live.select(new int[] {0, 999}));
                long[] some = new long[500];
                for (int i = 0; i < some.length; i++) some[i] = live.id(r.nextInt(live.size()));
                for (IdFilter filter : new IdFilter[] {null, IdFilter.of(some)}) {
                    for (SearchMethod method : new SearchMethod[] {SearchMethod.SCAN, SearchMethod.AUTO}) {
                        SearchOptions device = SearchOptions.defaults().withDevice(cl).withMethod(method)
                                .withFilter(filter);
                        for (int k : new int[] {1, 17, 400, 10_000}) {
                            Hits[] got = s.knnBatch(queries, k, device);
                            for (int qi = 0; qi < queries.size(); qi++) {
                                brute(live, queries, qi, filter, k, 64).assertMatches(got[qi], "device knn k=" + k
                                        + " " + method + " filter " + (filter != null) + " query " + qi);
                            }
                        }
                        for (int radius : new int[] {0, 3, 20, 64}) {
                            Hits[] got = s.radiusBatch(queries, radius, device);
                            for (int qi = 0; qi < queries.size(); qi++) {
                                brute(live, queries, qi, filter, Integer.MAX_VALUE, radius).assertMatches(got[qi],
                                        "device radius " + radius + " " + method + " query " + qi);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(Files.exists(folder.resolve("MANIFEST")));
    }

    /** Brute force: live codes in the filter, within maxDistance, by (distance, id), at most limit. */
    private static Expected brute(BinaryCodes live, BinaryCodes queries, int qi, IdFilter filter, int limit,
                              int maxDistance) {
        List<long[]> all = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            if (filter != null && !filter.contains(live.id(i))) continue;
            int d = live.distance(i, queries, qi);
            if (d <= maxDistance) all.add(new long[] {d, live.id(i)});
        }
        all.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int m = Math.min(limit, all.size());
        long[] ids = new long[m];
        int[] dists = new int[m];
        for (int i = 0; i < m; i++) {
            ids[i] = all.get(i)[1];
            dists[i] = (int) all.get(i)[0];
        }
        return new Expected(ids, dists);
    }

    /** An expected answer, compared with a {@link Hits} by its ids and distances. */
    private record Expected(long[] ids, int[] distances) {
        void assertMatches(Hits got, String what) {
            assertArrayEquals(ids, got.ids(), what + ": ids");
            assertArrayEquals(distances, got.distances(), what + ": distances");
        }
    }
}
