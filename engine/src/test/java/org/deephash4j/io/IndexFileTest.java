package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {
    @TempDir
    Path dir;

    private static IndexFile sample(int n, int bits, int dim, Random rnd) {
        BinaryCodes c = RandomCodes.uniform(n, bits, rnd).withIds(RandomCodes.shuffledIds(n, rnd));
        float[] f = new float[n * dim];
        for (int i = 0; i < f.length; i++) f[i] = (float) rnd.nextGaussian();
        return new IndexFile(c, f, dim);
    }

    @Test
    void roundTripsForManyShapes() throws IOException {
        Random rnd = new Random(1);
        for (int bits : new int[] {1, 12, 64, 100, 256}) {
            for (int n : new int[] {0, 1, 37}) {
                for (int dim : new int[] {0, 5}) {
                    IndexFile idx = sample(n, bits, dim, rnd);
                    Path p = dir.resolve("i" + bits + "_" + n + "_" + dim + ".dhi");
                    idx.write(p);
                    IndexFile back = IndexFile.read(p);
                    assertEquals(idx.codes(), back.codes());
                    assertArrayEquals(idx.features(), back.features());
                    assertEquals(dim, back.featureDim());
                    long expected = 48 + 8L * n + (long) n * BinaryCodes.bytesFor(bits) + 4L * n * dim;
                    assertEquals(expected, Files.size(p));
                }
            }
        }
    }

    @Test
    void addAndRemoveById() throws IOException {
        Random rnd = new Random(2);
        BinaryCodes a = RandomCodes.uniform(5, 24, rnd);                       // ids 0..4
        Path p = dir.resolve("grow.dhi");
        new IndexFile(a, new float[10], 2).write(p);
        BinaryCodes b = RandomCodes.uniform(3, 24, rnd).withIds(new long[] {10, 11, 12});
        IndexFile grown = IndexFile.append(p, b, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(8, IndexFile.read(p).codes().size());
        assertEquals(grown.codes(), IndexFile.read(p).codes());
        IndexFile shrunk = IndexFile.remove(p, 1, 11, 99);
        IndexFile back = IndexFile.read(p);
        assertArrayEquals(new long[] {0, 2, 3, 4, 10, 12}, back.codes().ids());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 5, 6}, back.features());
        assertEquals(shrunk.codes(), back.codes());
        assertEquals(a.row(2).words()[0], back.codes().word(1, 0));
        // a colliding id is refused and the file is unchanged
        assertThrows(IllegalArgumentException.class,
                () -> IndexFile.append(p, RandomCodes.uniform(1, 24, rnd).withIds(new long[] {3}), new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> IndexFile.append(p, RandomCodes.uniform(1, 32, rnd).withIds(new long[] {50}), new float[2]));
        assertEquals(back.codes(), IndexFile.read(p).codes());
    }

    private FormatException readBroken(byte[] bytes, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return assertThrows(FormatException.class, () -> IndexFile.read(p), name);
    }

    @Test
    void everyTruncationIsNamed() throws IOException {
        Path p = dir.resolve("t.dhi");
        sample(9, 20, 3, new Random(3)).write(p);
        byte[] good = Files.readAllBytes(p);
        for (int len = 0; len < good.length; len++) {
            FormatException e = readBroken(Arrays.copyOf(good, len), "cut" + len + ".dhi");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("magic"), e.getMessage());
            if (len >= 48) {
                assertTrue(e.getMessage().contains("truncated at byte " + len + " of " + good.length), e.getMessage());
                String field = len < 48 + 72 ? "ids" : len < 48 + 72 + 27 ? "codes" : "features";
                assertEquals(field, e.field(), e.getMessage());
            }
        }
        FormatException e = readBroken(Arrays.copyOf(good, 100), "cut100.dhi");
        assertEquals("cut100.dhi: field 'ids' at byte 100: truncated at byte 100 of " + good.length
                + " while reading 'ids'", e.getMessage());
    }

    @Test
    void everyFlippedByteIsCaught() throws IOException {
        Path p = dir.resolve("f.dhi");
        sample(6, 13, 2, new Random(4)).write(p);
        byte[] good = Files.readAllBytes(p);
        for (int i = 0; i < good.length; i++) {
            for (int bit : new int[] {0, 7}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                FormatException e = readBroken(bad, "flip" + i + "_" + bit + ".dhi");
                String expectedField = i < 8 ? "magic" : i < 12 ? "version" : i < 48 ? "headerCrc" : "payloadCrc";
                assertEquals(expectedField, e.field(), "byte " + i + ": " + e.getMessage());
            }
        }
    }

    @Test
    void wrongMagicVersionAndTrailingBytes() throws IOException {
        Path p = dir.resolve("m.dhi");
        sample(4, 64, 0, new Random(5)).write(p);
        byte[] good = Files.readAllBytes(p);
        byte[] magic = good.clone();
        System.arraycopy("PK\u0003\u0004".getBytes(), 0, magic, 0, 4);
        FormatException e = readBroken(magic, "zip.dhi");
        assertTrue(e.getMessage().contains("bad magic 0x504b0304") && e.getMessage().contains("deephash4j index"),
                e.getMessage());
        byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        fixHeaderCrc(version);
        e = readBroken(version, "v2.dhi");
        assertEquals("v2.dhi: field 'version' at byte 8: version 2 is not supported; this reader reads version 1",
                e.getMessage());
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        e = readBroken(longer, "long.dhi");
        assertEquals("payload", e.field());
        assertTrue(e.getMessage().contains("3 unexpected bytes"), e.getMessage());
        byte[] n = good.clone();                          // a consistent header that lies about n
        ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 5);
        fixHeaderCrc(n);
        assertEquals("payloadBytes", readBroken(n, "n.dhi").field());
    }

    @Test
    void paddingBitsAndDuplicateIdsAreRejectedEvenWithAValidChecksum() throws IOException {
        Path p = dir.resolve("pad.dhi");
        new IndexFile(RandomCodes.uniform(3, 12, new Random(6))).write(p);
        byte[] bytes = Files.readAllBytes(p);
        byte[] pad = bytes.clone();
        pad[48 + 24 + 1] |= 0x01;                       // the 16th bit of a 12-bit code
        fixPayloadCrc(pad);
        FormatException e = readBroken(pad, "padding.dhi");
        assertEquals("codes", e.field());
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        byte[] dup = bytes.clone();
        ByteBuffer.wrap(dup).order(ByteOrder.LITTLE_ENDIAN).putLong(48 + 8, 0);
        fixPayloadCrc(dup);
        assertEquals("ids", readBroken(dup, "dup.dhi").field());
    }

    private static void fixHeaderCrc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b, 0, 44);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(44, (int) c.getValue());
    }

    private static void fixPayloadCrc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b, 48, b.length - 48);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(40, (int) c.getValue());
        fixHeaderCrc(b);
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("keep.dhi");
        IndexFile old = sample(3, 8, 0, new Random(7));
        old.write(p);
        byte[] before = Files.readAllBytes(p);
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(p, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary file left");
        }
    }
}
