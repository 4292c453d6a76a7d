package org.deephash4j.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.deephash4j.io.FormatException;

/**
 * The tombstones of one segment as of one generation: which rows are deleted, a bit per row. Written once under a
 * new name (seg-N-del-G.dhdel) and never changed; the manifest says which generation is current.
 *
 * <p>Layout (version 2, little-endian):
 * <pre>
 * offset  size              field
 *  0      8                 magic       "DH4JDEL" then 0x1A
 *  8      4                 version     2
 * 12      4                 reserved    0
 * 16      8                 rows        rows of the segment, 0..2^31-1
 * 24      8                 deleted     number of bits set
 * 32      4                 bitsCrc     CRC32C of the bit words
 * 36      4                 headerCrc   CRC32C of bytes 0..35
 * 40      8 * ceil(rows/64) bit words   bit r of word r / 64 set: row r is deleted; bits past rows are 0
 * </pre>
 * The file is small (one bit per row) and read whole; both checksums are verified on every read.
 */
final class TombstoneFile {
    static final byte[] MAGIC = {'D', 'H', '4', 'J', 'D', 'E', 'L', 0x1A};
    static final int HEADER_BYTES = 40;

    private TombstoneFile() {
    }

    static byte[] toBytes(Tombstones t) {
        long[] words = t.words();
        byte[] bytes = new byte[HEADER_BYTES + 8 * words.length];
        ByteBuffer b = IndexFormat.little(bytes);
        b.position(HEADER_BYTES);
        for (long w : words) b.putLong(w);
        b.position(0);
        b.put(MAGIC).putInt(IndexFormat.VERSION).putInt(0).putLong(t.rows()).putLong(t.deleted())
                .putInt(IndexFormat.crc(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES));
        b.putInt(IndexFormat.crc(bytes, 0, 36));
        return bytes;
    }

    static void write(Path path, Tombstones t) throws IOException {
        IndexFormat.writeAtomically(path, toBytes(t));
    }

    /** Reads and checks a tombstone file that the manifest says belongs to a segment of {@code rows} rows. */
    static Tombstones read(Path path, int rows, long deleted) throws IOException {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            long expected = HEADER_BYTES + 8L * ((rows + 63L) >>> 6);
            if (c.size() != expected) {
                byte[] head = IndexFormat.readPrefix(path, c, (int) Math.min(c.size(), 8), "magic");
                if (head.length == 8) IndexFormat.checkMagic(path, head, MAGIC, "a deephash4j tombstone file");
                throw new FormatException(path, "rows", 16, "file of " + c.size() + " bytes, expected " + expected
                        + " for a segment of " + rows + " rows");
            }
            return parse(path, IndexFormat.readPrefix(path, c, (int) expected, "bit words"), rows, deleted);
        }
    }

    static Tombstones parse(Path path, byte[] bytes, int rows, long deleted) throws FormatException {
        if (bytes.length < HEADER_BYTES) {
            throw new FormatException(path, "header", bytes.length, "truncated at byte " + bytes.length + " of "
                    + HEADER_BYTES);
        }
        IndexFormat.checkMagic(path, bytes, MAGIC, "a deephash4j tombstone file");
        ByteBuffer b = IndexFormat.little(bytes);
        IndexFormat.checkVersion(path, b);
        IndexFormat.checkCrc(path, bytes, 0, 36, 36, "headerCrc");
        long storedRows = b.getLong(16);
        if (storedRows != rows) {
            throw new FormatException(path, "rows", 16, "rows = " + storedRows + " but the segment has " + rows);
        }
        long storedDeleted = b.getLong(24);
        if (storedDeleted != deleted) {
            throw new FormatException(path, "deleted", 24, "deleted = " + storedDeleted + " but the manifest says "
                    + deleted);
        }
        int words = (rows + 63) >>> 6;
        if (bytes.length != HEADER_BYTES + 8L * words) {
            throw new FormatException(path, "bit words", HEADER_BYTES, "file of " + bytes.length + " bytes, expected "
                    + (HEADER_BYTES + 8L * words));
        }
        IndexFormat.checkCrc(path, bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, 32, "bitsCrc");
        long[] w = new long[words];
        long count = 0;
        for (int i = 0; i < words; i++) {
            w[i] = b.getLong(HEADER_BYTES + 8 * i);
            count += Long.bitCount(w[i]);
        }
        if (words > 0 && (rows & 63) != 0 && (w[words - 1] >>> (rows & 63)) != 0) {
            throw new FormatException(path, "bit words", HEADER_BYTES + 8L * (words - 1), "bits set past row "
                    + rows);
        }
        if (count != deleted) {
            throw new FormatException(path, "deleted", 24, deleted + " rows said deleted but " + count
                    + " bits are set");
        }
        return new Tombstones(rows, w, deleted);
    }
}
