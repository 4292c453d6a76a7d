package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {
    // 10 classes x 20 images; pools: first 150 "train", last 50 "test"
    private final Dataset data = SyntheticDataset.generate(20, 10, 1, 2, 2, 5);
    private final int[] trainPool = Split.range(0, 150);
    private final int[] testPool = Split.range(150, 200);

    @Test
    void perClassCountsPoolsAndDisjointness() {
        Split s = Split.perClass(data, testPool, trainPool, 2, 5, 0, false);
        assertEquals(20, s.query().length);
        assertEquals(50, s.train().length);
        assertEquals(130, s.database().length);
        int[] qPerClass = new int[10], tPerClass = new int[10];
        for (int q : s.query()) {
            assertTrue(q >= 150, "query " + q + " not from the test pool");
            qPerClass[data.classOf(q)]++;
        }
        for (int t : s.train()) {
            assertTrue(t < 150, "training image " + t + " not from the training pool");
            tPerClass[data.classOf(t)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(2, qPerClass[c]);
            assertEquals(5, tPerClass[c]);
        }
        Set<Integer> seen = new HashSet<>();
        for (int[] set : new int[][] {s.query(), s.train(), s.database()}) {
            for (int i : set) assertTrue(seen.add(i), "index " + i + " is in two sets");
        }
        assertEquals(200, seen.size());
        int[] sorted = s.database().clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, s.database(), "database keeps dataset order");
    }

    @Test
    void seedDecidesTheSplit() {
        Split a = Split.perClass(data, testPool, trainPool, 2, 5, 7, false);
        Split b = Split.perClass(data, testPool, trainPool, 2, 5, 7, false);
        Split c = Split.perClass(data, testPool, trainPool, 2, 5, 8, false);
        assertArrayEquals(a.query(), b.query());
        assertArrayEquals(a.train(), b.train());
        assertFalse(Arrays.equals(a.train(), c.train()), "another seed gives another training set");
    }

    @Test
    void trainInDatabaseKeepsAllButQueries() {
        Split s = Split.perClass(data, testPool, trainPool, 2, 5, 0, true);
        assertEquals(180, s.database().length);
        Set<Integer> db = new HashSet<>();
        for (int i : s.database()) db.add(i);
        for (int t : s.train()) assertTrue(db.contains(t));
    }

    @Test
    void tooFewImagesOfAClassIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Split.perClass(data, testPool, trainPool, 9, 5, 0, false));
        assertTrue(e.getMessage().contains("images available for the query set, 9 needed"), e.getMessage());
    }
}
