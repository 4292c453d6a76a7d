package org.deephash4j.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.deephash4j.io.FormatException;

/**
 * One version of an index: its code length, its generation (1, 2, ... one more per change), the next free file
 * number, and its segments in order. The manifest names every file the version uses; a change writes its new
 * files first and this file last, by an atomic rename, so a reader sees the old version or the new one.
 *
 * <p>Layout (version 2, little-endian):
 * <pre>
 * offset  size  field
 *  0      8     magic          "DH4JMAN" then 0x1A
 *  8      4     version        2
 * 12      4     bits           K >= 1
 * 16      8     generation     >= 1
 * 24      8     nextFile       the next unused segment number
 * 32      4     segmentCount
 * 36      4     reserved       0
 * 40      56 x segmentCount entries:
 *          8 number      the segment file seg-number.dhseg
 *          8 rows        codes in the segment (live and deleted)
 *          8 deleted     rows marked deleted
 *          8 tombstones  generation of seg-number-del-G.dhdel, 0 when nothing is deleted
 *          8 minId       smallest id in the segment
 *          8 maxId       largest id
 *          4 substrings  multi-index tables in seg-number.dhmih, 0 when none
 *          4 reserved    0
 * end     4     crc            CRC32C of every byte before it
 * </pre>
 */
record Manifest(int bits, long generation, long nextFile, List<Entry> segments) {
    static final byte[] MAGIC = {'D', 'H', '4', 'J', 'M', 'A', 'N', 0x1A};
    static final int HEADER_BYTES = 40;
    static final int ENTRY_BYTES = 56;
    /** A manifest of more segments than this is refused (an index is compacted long before). */
    static final int MAX_SEGMENTS = 1 << 20;

    /** One segment of a version. */
    record Entry(long number, long rows, long deleted, long tombstones, long minId, long maxId, int substrings) {
        long live() {
            return rows - deleted;
        }

        Entry withTombstones(long generation, long deletedRows) {
            return new Entry(number, rows, deletedRows, generation, minId, maxId, substrings);
        }
    }

    Manifest {
        segments = List.copyOf(segments);
    }

    static Manifest empty(int bits) {
        return new Manifest(bits, 1, 1, List.of());
    }

    long rows() {
        long total = 0;
        for (Entry e : segments) total += e.rows();
        return total;
    }

    long live() {
        long total = 0;
        for (Entry e : segments) total += e.live();
        return total;
    }

    /** The next version: generation + 1, with these segments and next free file number. */
    Manifest next(List<Entry> newSegments, long newNextFile) {
        return new Manifest(bits, generation + 1, newNextFile, newSegments);
    }

    byte[] toBytes() {
        int size = HEADER_BYTES + ENTRY_BYTES * segments.size() + 4;
        byte[] bytes = new byte[size];
        ByteBuffer b = IndexFormat.little(bytes);
        b.put(MAGIC).putInt(IndexFormat.VERSION).putInt(bits).putLong(generation).putLong(nextFile)
                .putInt(segments.size()).putInt(0);
        for (Entry e : segments) {
            b.putLong(e.number()).putLong(e.rows()).putLong(e.deleted()).putLong(e.tombstones()).putLong(e.minId())
                    .putLong(e.maxId()).putInt(e.substrings()).putInt(0);
        }
        b.putInt(IndexFormat.crc(bytes, 0, size - 4));
        return bytes;
    }

    void write(Path folder) throws IOException {
        IndexFormat.writeAtomically(folder.resolve(IndexFormat.MANIFEST), toBytes());
    }

    static Manifest read(Path folder) throws IOException {
        Path path = folder.resolve(IndexFormat.MANIFEST);
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = c.size();
            if (size > HEADER_BYTES + (long) ENTRY_BYTES * MAX_SEGMENTS + 4) {
                throw new FormatException(path, "segmentCount", 32, "file of " + size + " bytes is larger than any "
                        + "manifest (at most " + MAX_SEGMENTS + " segments)");
            }
            return parse(path, IndexFormat.readPrefix(path, c, (int) size, "manifest"));
        }
    }

    /** Parses and validates a whole manifest file. */
    static Manifest parse(Path path, byte[] bytes) throws FormatException {
        if (bytes.length < HEADER_BYTES + 4) {
            if (bytes.length >= 8) IndexFormat.checkMagic(path, bytes, MAGIC, "a deephash4j index manifest");
            throw new FormatException(path, "header", bytes.length, "truncated at byte " + bytes.length + " of at least "
                    + (HEADER_BYTES + 4) + " while reading 'header'");
        }
        IndexFormat.checkMagic(path, bytes, MAGIC, "a deephash4j index manifest");
        ByteBuffer b = IndexFormat.little(bytes);
        IndexFormat.checkVersion(path, b);
        IndexFormat.checkCrc(path, bytes, 0, bytes.length - 4, bytes.length - 4, "crc");
        int bits = b.getInt(12);
        long generation = b.getLong(16);
        long nextFile = b.getLong(24);
        int count = b.getInt(32);
        if (bits < 1) throw new FormatException(path, "bits", 12, "bits = " + bits + ", expected >= 1");
        if (generation < 1) {
            throw new FormatException(path, "generation", 16, "generation = " + generation + ", expected >= 1");
        }
        if (count < 0 || (long) HEADER_BYTES + (long) ENTRY_BYTES * count + 4 != bytes.length) {
            throw new FormatException(path, "segmentCount", 32, "segmentCount = " + count + " but the file has "
                    + bytes.length + " bytes (" + HEADER_BYTES + " + " + ENTRY_BYTES + " per segment + 4 expected)");
        }
        if (b.getInt(36) != 0) throw new FormatException(path, "reserved", 36, "reserved field is not 0");
        List<Entry> entries = new ArrayList<>(count);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            int at = HEADER_BYTES + ENTRY_BYTES * i;
            Entry e = new Entry(b.getLong(at), b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24),
                    b.getLong(at + 32), b.getLong(at + 40), b.getInt(at + 48));
            String where = "segment " + i;
            if (e.number() <= previous || e.number() >= nextFile) {
                throw new FormatException(path, where + ".number", at, "segment number " + e.number() + " (expected "
                        + "increasing numbers below nextFile " + nextFile + ")");
            }
            if (e.rows() < 0 || e.rows() > Integer.MAX_VALUE) {
                throw new FormatException(path, where + ".rows", at + 8, "rows = " + e.rows() + ", expected 0.."
                        + Integer.MAX_VALUE);
            }
            if (e.deleted() < 0 || e.deleted() > e.rows() || (e.deleted() > 0) != (e.tombstones() > 0)
                    || e.tombstones() < 0 || e.tombstones() > generation) {
                throw new FormatException(path, where + ".deleted", at + 16, "deleted = " + e.deleted() + " of "
                        + e.rows() + " rows with tombstone generation " + e.tombstones() + " (expected 0 <= deleted <= "
                        + "rows, a tombstone generation in 1.." + generation + " exactly when deleted > 0)");
            }
            if (e.rows() > 0 && e.minId() > e.maxId()) {
                throw new FormatException(path, where + ".minId", at + 32, "minId " + e.minId() + " > maxId "
                        + e.maxId());
            }
            if (e.substrings() < 0 || e.substrings() > bits || b.getInt(at + 52) != 0) {
                throw new FormatException(path, where + ".substrings", at + 48, "substrings = " + e.substrings()
                        + ", expected 0.." + bits);
            }
            previous = e.number();
            entries.add(e);
        }
        return new Manifest(bits, generation, nextFile, entries);
    }
}
