package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Boundaries that mutation testing showed no test pinned: exact candidate counts, smallest legal arguments, failures in workers. */
class SearchEdgesTest {
    // 8-bit codes at distances 0, 1, 1, 2, 3 from the query 0x00
    private static final BinaryCodes DB = BinaryCodes.fromBytes(new byte[] {0x00, (byte) 0x80, 0x01, 0x03, 0x07}, 8);
    private static final BinaryCodes QUERY = BinaryCodes.fromBytes(new byte[] {0x00}, 8);
    private static final float[] FEATURES = {5, 4, 3, 2, 1};

    @Test
    void coarseRadiusStopsWhenExactlyEnoughCandidates() {
        for (CoarseToFine c2f : new CoarseToFine[] {new CoarseToFine(DB, FEATURES, 1), new CoarseToFine(DB, FEATURES, 1,
                new MultiIndexHashing(DB))}) {
            assertEquals(1, c2f.featureDim());
            // radius 0 holds 1 candidate; radius 1 holds exactly the 3 asked for: the search stops there
            CoarseToFine.Result r = c2f.search(QUERY, 0, new float[] {2.9f}, 0, 3, 1);
            assertEquals(1, r.radius());
            assertEquals(3, r.candidates());
            assertEquals(1, r.size());
            assertEquals(2, r.rows()[0], "nearest feature among rows 0, 1, 2 to 2.9 is row 2 (3.0)");
            // the smallest legal arguments: radius 0, no minimum, k 1
            CoarseToFine.Result exact = c2f.search(QUERY, 0, new float[] {0}, 0, 0, 1);
            assertEquals(0, exact.radius());
            assertEquals(1, exact.candidates());
            assertThrows(IllegalArgumentException.class, () -> c2f.search(QUERY, 0, new float[] {0}, -1, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> c2f.search(QUERY, 0, new float[] {0}, 0, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> c2f.search(QUERY, 0, new float[] {0}, 0, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> c2f.search(RandomCodes.uniform(1, 16, new Random(1)), 0,
                    new float[] {0}, 0, 0, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> new CoarseToFine(DB, new float[0], 0));
    }

    @Test
    void neighborsEqualityHashAndText() {
        LinearScan scan = new LinearScan(DB);
        Neighbors two = scan.knn(QUERY, 0, 2);
        Neighbors alsoTwo = new LinearScan(DB, HammingKernels.reference()).knn(QUERY, 0, 2);
        assertEquals(two, alsoTwo);
        assertEquals(two.hashCode(), alsoTwo.hashCode());
        assertNotEquals(two, scan.knn(QUERY, 0, 3));
        assertNotEquals(two, scan.radius(QUERY, 0, 0));
        assertArrayEquals(new long[] {0, 1}, two.ids());
        assertEquals(1, two.row(1));
        assertEquals("Neighbors[0@0, 1@1]", two.toString());
        BinaryCodes many = RandomCodes.uniform(25, 8, new Random(4));
        String text = new LinearScan(many).knn(many, 0, 25).toString();
        assertTrue(text.endsWith(", ... (25 in all)]") && text.split(", ").length == 21, text);
        assertEquals(21, new LinearScan(many).knn(many, 0, 21).toString().split(", ").length, "21 results: 20 shown and the count");
        assertFalse(new LinearScan(many).knn(many, 0, 20).toString().contains("in all"));
        assertEquals("reference", HammingKernels.reference().name());
        assertEquals("vector", HammingKernels.vector().name());
    }

    @Test
    void aFailureInAPoolWorkerReachesTheCallerAsItWas() {
        // only the pool's threads fail; the calling thread is slowed so that they surely take some indices
        Thread caller = Thread.currentThread();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SearchThreads.forEach(200, 3, () -> i -> {
            if (Thread.currentThread() != caller) throw new IllegalStateException("worker failed at " + i);
            try {
                Thread.sleep(1);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(e.getMessage().startsWith("worker failed at "), "the worker's own exception, not a wrapper: " + e);
        assertEquals(IllegalStateException.class, e.getClass());
    }

    @Test
    void aFailureInAWorkerReachesTheCaller() {
        AtomicInteger done = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SearchThreads.forEach(200, 3, () -> i -> {
            if (i == 150) throw new IllegalStateException("query 150 failed");
            done.incrementAndGet();
        }));
        assertEquals("query 150 failed", e.getMessage());
        assertTrue(done.get() < 200);
        assertThrows(IllegalArgumentException.class, () -> SearchThreads.forEach(5, 0, () -> i -> { }));
    }
}
