package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

class BinaryCodesTest {
    @Test
    void bitOrderIsNumpyPackbits() {
        // signs + - - - - - - + | - + : packbits -> 0x81, 0x40 (MSB first, zero padded)
        float[] v = {1, -1, -1, -1, -1, -1, -1, 1, -1, 1};
        BinaryCodes c = BinaryCodes.fromSigns(v, 10);
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0x40}, c.toBytes());
        assertEquals(0x8140L << 48, c.word(0, 0));
        assertTrue(c.bit(0, 0));
        assertTrue(c.bit(0, 9));
        assertEquals(false, c.bit(0, 1));
    }

    @Test
    void zeroMapsToPlusOneAndThresholdIsStrict() {
        BinaryCodes s = BinaryCodes.fromSigns(new float[] {0f, -0.0f, -1e-9f}, 3);
        assertTrue(s.bit(0, 0));
        assertTrue(s.bit(0, 1));      // -0.0 >= 0
        assertEquals(false, s.bit(0, 2));
        BinaryCodes t = BinaryCodes.fromThreshold(new float[] {0.5f, 0.50001f}, 2, 0.5f);
        assertEquals(false, t.bit(0, 0));
        assertTrue(t.bit(0, 1));
    }

    @Test
    void fromTensorOutputs() {
        float[] v = {0.3f, -2f, 0f, 0.7f, 0.5f, -0.1f};
        Tensor t = Tensors.fromArray(Backends.cpu(), v, 2, 3);
        assertEquals(BinaryCodes.fromSigns(v, 3), BinaryCodes.fromSigns(t));
        assertEquals(BinaryCodes.fromThreshold(v, 3, 0.5f), BinaryCodes.fromThreshold(t, 0.5f));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryCodes.fromSigns(Tensors.fromArray(Backends.cpu(), v, 6)));
    }

    @Test
    void roundTripsBytesSignsWordsForManyBitLengths() {
        Random rnd = new Random(11);
        for (int bits : new int[] {1, 7, 8, 12, 24, 32, 48, 63, 64, 65, 100, 128, 255, 256}) {
            BinaryCodes c = RandomCodes.uniform(13, bits, rnd);
            assertEquals(c, BinaryCodes.fromBytes(c.toBytes(), bits), "bytes round trip bits=" + bits);
            assertEquals(c, BinaryCodes.fromSigns(c.toSigns(), bits), "signs round trip bits=" + bits);
            assertEquals(c, BinaryCodes.fromWords(bits, c.words()), "words round trip bits=" + bits);
            assertEquals(13 * BinaryCodes.bytesFor(bits), c.toBytes().length);
            for (int i = 0; i < 13; i++) {
                for (int j = 0; j < 13; j++) {
                    assertEquals(RandomCodes.slowDistance(c, i, c, j), c.distance(i, c, j));
                }
            }
        }
    }

    @Test
    void distanceIsHalfTheSignDisagreement() {
        Random rnd = new Random(3);
        BinaryCodes c = RandomCodes.uniform(5, 48, rnd);
        float[] s = c.toSigns();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double dot = 0;
                for (int x = 0; x < 48; x++) dot += s[i * 48 + x] * s[j * 48 + x];
                assertEquals((48 - dot) / 2, c.distance(i, c, j), 0.0);
            }
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromSigns(new float[5], 2));
        assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromSigns(new float[0], 0));
        assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromSigns(new float[] {Float.NaN}, 1));
        assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromBytes(new byte[] {1}, 7));   // padding bit
        assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromWords(64, new long[3], new long[2]));
        BinaryCodes a = RandomCodes.uniform(2, 32, new Random(1));
        BinaryCodes b = RandomCodes.uniform(2, 48, new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.concat(b));
        assertTrue(e.getMessage().contains("48-bit"), e.getMessage());
    }

    @Test
    void concatSelectAndIds() {
        Random rnd = new Random(5);
        BinaryCodes a = RandomCodes.uniform(3, 24, rnd);
        BinaryCodes b = RandomCodes.uniform(2, 24, rnd).withIds(new long[] {10, 11});
        BinaryCodes c = a.concat(b);
        assertArrayEquals(new long[] {0, 1, 2, 10, 11}, c.ids());
        assertEquals(c.select(new int[] {3}).word(0, 0), b.word(0, 0));
        assertTrue(c.idsAscending());
        assertEquals(false, c.select(new int[] {4, 0}).idsAscending());
    }
}
