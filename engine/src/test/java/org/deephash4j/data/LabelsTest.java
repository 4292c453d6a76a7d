package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void similarityIsSharingAtLeastOneLabel() {
        Labels single = Labels.single(new int[] {0, 2, 0}, 3);
        assertTrue(single.similar(0, 2));
        assertFalse(single.similar(0, 1));
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1}, single.similarity(single));
        Labels multi = Labels.multiHot(new boolean[][] {{true, false, true}, {false, true, false}, {false, false, true}});
        assertTrue(multi.similar(0, 2));
        assertFalse(multi.similar(0, 1));
        assertEquals(2, multi.count(0));
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1, 1, 0, 0}, single.similarity(multi));
    }

    @Test
    void subsetAndMatrix() {
        Labels y = Labels.single(new int[] {1, 0, 2}, 3);
        Labels s = y.subset(new int[] {2, 0});
        assertEquals(2, s.classOf(0));
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0}, s.toMatrix());
    }

    @Test
    void badLabelsFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> Labels.single(new int[] {0, 3}, 3));
        assertThrows(IllegalArgumentException.class, () -> Labels.single(null, 3));
        assertThrows(IllegalArgumentException.class, () -> Labels.multiHot(new boolean[][] {{true}, {true, false}}));
        assertThrows(IllegalArgumentException.class, () -> Labels.single(new int[] {0}, 1).subset(new int[] {1}));
    }
}
