package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Multi-index tables built into off-heap memory: steps 0..r report every code within r exactly once (brute force
 * decides), for direct and hashed tables, codes of one and several words, every substring count of short codes.
 */
class MappedMultiIndexTest {
    static MappedMultiIndex build(Arena arena, BinaryCodes db, int m) {
        int n = db.size();
        MemorySegment cols = SegmentHammingKernelsTest.columns(arena, db, n, new Random(0));
        MappedMultiIndex.TableShape[] shapes = MappedMultiIndex.shapes(db.bits(), n, m);
        MappedMultiIndex.Table[] tables = new MappedMultiIndex.Table[m];
        for (int s = 0; s < m; s++) {
            MappedMultiIndex.TableShape sh = shapes[s];
            tables[s] = new MappedMultiIndex.Table(sh, arena.allocate(sh.offsetsBytes(), 64),
                    arena.allocate(sh.keysBytes(), 64), arena.allocate(MappedMultiIndex.TableShape.rowsBytes(n), 64),
                    arena.allocate(MappedMultiIndex.TableShape.codesBytes(n, db.wordsPerCode()), 64));
        }
        MappedMultiIndex.build(tables, db.bits(), n, cols, n, 2);
        return new MappedMultiIndex(db.bits(), n, tables);
    }

    /** Steps 0..r; asserts no row is reported twice; returns the candidates as Neighbors in (distance, id) order. */
    static Neighbors radius(MappedMultiIndex mi, BinaryCodes db, BinaryCodes q, int qi, int r) {
        List<int[]> found = new ArrayList<>();
        boolean[] seen = new boolean[db.size()];
        MappedMultiIndex.Prober p = mi.prober();
        for (int t = 0; t <= r; t++) {
            p.step(q.data(), qi * q.wordsPerCode(), t, r, (row, d) -> {
                assertFalse(seen[row], "row " + row + " reported twice");
                seen[row] = true;
                found.add(new int[] {row, d});
            });
        }
        found.sort((a, b) -> a[1] != b[1] ? Integer.compare(a[1], b[1]) : Integer.compare(a[0], b[0]));
        int[] rows = new int[found.size()];
        long[] ids = new long[found.size()];
        int[] d = new int[found.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = found.get(i)[0];
            ids[i] = db.id(rows[i]);
            d[i] = found.get(i)[1];
        }
        return new Neighbors(rows, ids, d);
    }

    private static void checkAllRadii(BinaryCodes db, BinaryCodes queries, int m, int maxRadius, String what) {
        try (Arena arena = Arena.ofShared()) {
            MappedMultiIndex mi = build(arena, db, m);
            for (int qi = 0; qi < queries.size(); qi++) {
                for (int r = 0; r <= maxRadius; r++) {
                    assertEquals(RandomCodes.bruteRadius(db, queries, qi, r), radius(mi, db, queries, qi, r),
                            what + " m=" + m + " r=" + r + " query " + qi);
                }
            }
        }
    }

    @Test
    void everySubstringCountAndRadiusOnShortCodes() {
        Random rnd = new Random(18);
        for (int bits : new int[] {1, 5, 8, 11}) {
            BinaryCodes db = RandomCodes.uniform(300, bits, rnd);
            BinaryCodes q = RandomCodes.uniform(2, bits, rnd).concat(db.select(new int[] {4}));
            for (int m = 1; m <= bits; m++) checkAllRadii(db, q, m, bits + 1, "bits=" + bits);
        }
    }

    @Test
    void directAndHashedTablesOnOneAndSeveralWords() {
        Random rnd = new Random(19);
        for (int bits : new int[] {32, 64, 100, 128}) {
            BinaryCodes db = RandomCodes.clustered(2000, bits, 10, 0.04, rnd);
            BinaryCodes q = RandomCodes.clustered(2, bits, 1, 0.3, rnd).concat(db.select(new int[] {0, 1999}));
            int min = (bits + 31) / 32;
            for (int m : new int[] {min, bits / 16, bits / 8}) {
                if (m < min) continue;
                MappedMultiIndex.TableShape[] shapes = MappedMultiIndex.shapes(bits, 2000, m);
                checkAllRadii(db, q, m, 6, "bits=" + bits + " direct=" + shapes[0].direct());
            }
        }
        // 2000 codes: substrings of 12 bits or more are hashed (2^len > 4n), shorter ones direct.
        assertFalse(MappedMultiIndex.shapes(64, 2000, 4)[0].direct());
        assertTrue(MappedMultiIndex.shapes(64, 2000, 8)[0].direct());
    }

    @Test
    void badShapesAndCorruptOffsetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MappedMultiIndex.shapes(64, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> MappedMultiIndex.shapes(64, 10, 65));
        try (Arena arena = Arena.ofShared()) {
            BinaryCodes db = RandomCodes.uniform(100, 16, new Random(3));
            MappedMultiIndex mi = build(arena, db, 2);
            assertEquals(2, mi.substrings());
            MappedMultiIndex.TableShape sh = MappedMultiIndex.shapes(16, 100, 2)[0];
            MemorySegment offsets = arena.allocate(sh.offsetsBytes());
            offsets.set(MappedMultiIndex.INT, 4, 101);      // offsets[1] = 101 > n
            MappedMultiIndex.Table bad = new MappedMultiIndex.Table(sh, offsets, arena.allocate(0),
                    arena.allocate(400), arena.allocate(800));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MappedMultiIndex(16, 100, new MappedMultiIndex.Table[] {bad, bad}));
            assertTrue(e.getMessage().contains("offsets[1] = 101"), e.getMessage());
        }
    }
}
