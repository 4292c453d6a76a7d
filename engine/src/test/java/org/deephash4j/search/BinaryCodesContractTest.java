package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checks and small accessors of {@link BinaryCodes} and {@link LinearScan}, each asserted by its own message,
 * so that a check removed or off by one (mutation testing found several) fails here.
 */
class BinaryCodesContractTest {
    private static final Random RND = new Random(11);
    private static final BinaryCodes CODES = RandomCodes.uniform(5, 70, RND);     // two words per code

    @Test
    void rowChecksSayWhichRow() {
        for (int row : new int[] {-1, 5}) {
            String message = "row " + row + " of 5 codes";
            assertEquals(message, assertThrows(IndexOutOfBoundsException.class, () -> CODES.id(row)).getMessage());
            assertEquals(message, assertThrows(IndexOutOfBoundsException.class, () -> CODES.word(row, 0)).getMessage());
            assertEquals(message, assertThrows(IndexOutOfBoundsException.class, () -> CODES.bit(row, 0)).getMessage());
            assertEquals(message, assertThrows(IndexOutOfBoundsException.class, () -> CODES.select(new int[] {0, row})).getMessage());
            assertEquals(message, assertThrows(IndexOutOfBoundsException.class, () -> CODES.distance(row, CODES, 0)).getMessage());
            assertEquals(message, assertThrows(IndexOutOfBoundsException.class, () -> CODES.distance(0, CODES, row)).getMessage());
        }
        assertEquals("bit 70 of a 70-bit code", assertThrows(IndexOutOfBoundsException.class, () -> CODES.bit(4, 70)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> CODES.bit(4, -1));
        assertTrue(CODES.bit(4, 69) || !CODES.bit(4, 69), "the last bit and the last row are in range");
        assertEquals(CODES.id(4), CODES.ids()[4]);
    }

    @Test
    void bitLengthsAreChecked() {
        for (int bits : new int[] {0, -3}) {
            assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromWords(bits, new long[0]));
            assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromWords(bits, new long[0], new long[0]));
            assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromBytes(new byte[0], bits));
            assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromBytes(new byte[0], bits, new long[0]));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryCodes.fromBytes(new byte[5], 16, new long[] {1, 2}));
        assertEquals("BinaryCodes.fromBytes: 5 bytes for 2 ids, expected 4 (2 bytes per 16-bit code)", e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> BinaryCodes.fromWords(70, new long[5], new long[] {1, 2}));
        assertEquals("BinaryCodes.fromWords: 5 words for 2 ids, expected 4 (2 words per 70-bit code)", w.getMessage());
        BinaryCodes other = RandomCodes.uniform(2, 64, RND);
        assertThrows(IllegalArgumentException.class, () -> CODES.distance(0, other, 0));
    }

    @Test
    void selectRowAndThresholdOnSeveralWordsAndRows() {
        BinaryCodes picked = CODES.select(new int[] {3, 0, 3});
        for (int i = 0; i < 3; i++) {
            int from = new int[] {3, 0, 3}[i];
            assertEquals(CODES.id(from), picked.id(i));
            for (int w = 0; w < 2; w++) assertEquals(CODES.word(from, w), picked.word(i, w));
        }
        assertEquals(CODES.select(new int[] {2}), CODES.row(2));
        // three rows of 70 values: row i, bit j is set where values[i * 70 + j] > 0.5
        float[] values = new float[3 * 70];
        for (int i = 0; i < values.length; i++) values[i] = RND.nextFloat();
        BinaryCodes t = BinaryCodes.fromThreshold(values, 70, 0.5f);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 70; j++) assertEquals(values[i * 70 + j] > 0.5f, t.bit(i, j), i + "," + j);
    }

    @Test
    void equalityHashAndText() {
        BinaryCodes same = BinaryCodes.fromWords(70, CODES.words(), CODES.ids());
        assertEquals(CODES, same);
        assertEquals(CODES.hashCode(), same.hashCode());
        assertNotEquals(CODES, CODES.select(new int[] {0, 1, 2, 3}));
        assertNotEquals(CODES, CODES.withIds(new long[] {9, 8, 7, 6, 5}));
        assertEquals("BinaryCodes[5 x 70 bits]", CODES.toString());
        // ids strictly ascending lets the scan cut ties early; equal ids are not ascending
        BinaryCodes dup = CODES.withIds(new long[] {1, 1, 2, 3, 4});
        assertEquals(RandomCodes.bruteKnn(dup, CODES, 0, 3), new LinearScan(dup).knn(CODES, 0, 3));
    }

    @Test
    void scanChecksEveryEntryPoint() {
        LinearScan scan = new LinearScan(CODES);
        assertEquals(CODES, scan.codes());
        assertTrue(scan.kernels() != null);
        BinaryCodes other = RandomCodes.uniform(2, 64, RND);
        assertThrows(IllegalArgumentException.class, () -> scan.knnBatch(other, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> scan.knnBatch(CODES, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> scan.radius(other, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> scan.radiusBatch(other, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> scan.radiusBatch(CODES, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> scan.distances(other, 0, new int[5]));
        assertThrows(IllegalArgumentException.class, () -> scan.distances(CODES, 0, new int[4]));
        Neighbors[] batch = scan.knnBatch(CODES, 2);
        Neighbors[] radius = scan.radiusBatch(CODES, 30);
        for (int q = 0; q < 5; q++) {
            assertEquals(RandomCodes.bruteKnn(CODES, CODES, q, 2), batch[q]);
            assertEquals(RandomCodes.bruteRadius(CODES, CODES, q, 30), radius[q]);
        }
        assertArrayEquals(new long[] {CODES.id(0)}, java.util.Arrays.copyOf(batch[0].ids(), 1), "a code is its own nearest");
    }
}
