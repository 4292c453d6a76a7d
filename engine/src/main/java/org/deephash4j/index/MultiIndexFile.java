package org.deephash4j.index;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.deephash4j.io.FormatException;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.MappedMultiIndex;
import org.deephash4j.search.MappedMultiIndex.Table;
import org.deephash4j.search.MappedMultiIndex.TableShape;

/**
 * The multi-index hashing tables of one segment, saved beside it (seg-N.dhmih) so that they are built once, when
 * the segment is written, and mapped, not rebuilt, whenever the index is opened. The tables are
 * {@link MappedMultiIndex}'s; this class is their file.
 *
 * <p>Layout (version 2, little-endian):
 * <pre>
 * offset     size     field
 *  0         8        magic           "DH4JMIH" then 0x1A
 *  8         4        version         2
 * 12         4        bits            K, as the segment's
 * 16         8        n               codes, as the segment's
 * 24         4        substrings      m
 * 28         4        segmentCrc      the segment's codesCrc: the tables belong to those codes
 * 32         8        fileLength      the file's exact size
 * 40         4        bodyCrc         CRC32C of bytes [first section, fileLength)
 * 44         4        headerCrc       CRC32C of bytes 0..43
 * 48         48 x m   directory: per table int32 start, int32 length, int32 direct (0/1), int32 buckets,
 *                     int64 offsetsAt, int64 keysAt (0 when direct), int64 rowsAt, int64 codesAt
 * 48 + 48m   4        directoryCrc    CRC32C of the directory
 * then, per table, 64-byte aligned: offsets int32[buckets + 1], keys int64[buckets] (hashed only),
 *                     rows int32[n], codes int64[n * words]
 * </pre>
 * Every directory field is a function of (K, n, m) and the reader compares them all with that; opening also checks
 * each table's offsets (a valid CSR, so no bucket read leaves the file). {@link #verify} checks the body's CRC.
 */
final class MultiIndexFile {
    static final byte[] MAGIC = {'D', 'H', '4', 'J', 'M', 'I', 'H', 0x1A};
    static final int HEADER_BYTES = 48;
    static final int ENTRY_BYTES = 48;

    private MultiIndexFile() {
    }

    /** Section offsets of every table. */
    record Layout(TableShape[] shapes, long[] offsetsAt, long[] keysAt, long[] rowsAt, long[] codesAt, long body,
                  long fileLength) {
        static Layout of(int bits, int n, int substrings) {
            TableShape[] shapes = MappedMultiIndex.shapes(bits, n, substrings);
            int words = BinaryCodes.wordsFor(bits);
            int m = shapes.length;
            long[] offsets = new long[m];
            long[] keys = new long[m];
            long[] rows = new long[m];
            long[] codes = new long[m];
            long at = IndexFormat.align64(HEADER_BYTES + (long) ENTRY_BYTES * m + 4);
            long body = at;
            for (int s = 0; s < m; s++) {
                offsets[s] = at;
                at = IndexFormat.align64(at + shapes[s].offsetsBytes());
                if (!shapes[s].direct()) {
                    keys[s] = at;
                    at = IndexFormat.align64(at + shapes[s].keysBytes());
                }
                rows[s] = at;
                at = IndexFormat.align64(at + TableShape.rowsBytes(n));
                codes[s] = at;
                at += TableShape.codesBytes(n, words);
                if (s + 1 < m) at = IndexFormat.align64(at);
            }
            return new Layout(shapes, offsets, keys, rows, codes, body, at);
        }

        Table[] tables(MemorySegment file, int n, int words) {
            Table[] t = new Table[shapes.length];
            for (int s = 0; s < t.length; s++) {
                TableShape shape = shapes[s];
                t[s] = new Table(shape, file.asSlice(offsetsAt[s], shape.offsetsBytes()),
                        shape.direct() ? MemorySegment.ofArray(new byte[0]) : file.asSlice(keysAt[s], shape.keysBytes()),
                        file.asSlice(rowsAt[s], TableShape.rowsBytes(n)),
                        file.asSlice(codesAt[s], TableShape.codesBytes(n, words)));
            }
            return t;
        }
    }

    /** Builds the tables of {@code segment} in {@code substrings} substrings into a new file and forces it. */
    static void write(Path path, Segment segment, int substrings, int threads) throws IOException {
        int bits = segment.bits();
        int n = segment.size();
        Layout layout = Layout.of(bits, n, substrings);
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE); Arena arena = Arena.ofShared()) {
            MemorySegment file = c.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileLength(), arena);
            Table[] tables = layout.tables(file, n, segment.words());
            MappedMultiIndex.build(tables, bits, n, segment.codes(), n, threads);
            int bodyCrc = IndexFormat.crc(file, layout.body(), layout.fileLength() - layout.body());
            byte[] head = new byte[HEADER_BYTES + ENTRY_BYTES * substrings + 4];
            ByteBuffer b = IndexFormat.little(head);
            b.put(MAGIC).putInt(IndexFormat.VERSION).putInt(bits).putLong(n).putInt(substrings)
                    .putInt(segment.codesCrc()).putLong(layout.fileLength()).putInt(bodyCrc);
            b.putInt(IndexFormat.crc(head, 0, 44));
            for (int s = 0; s < substrings; s++) {
                TableShape shape = layout.shapes()[s];
                b.putInt(shape.start()).putInt(shape.length()).putInt(shape.direct() ? 1 : 0).putInt(shape.buckets())
                        .putLong(layout.offsetsAt()[s]).putLong(layout.keysAt()[s]).putLong(layout.rowsAt()[s])
                        .putLong(layout.codesAt()[s]);
            }
            b.putInt(IndexFormat.crc(head, HEADER_BYTES, ENTRY_BYTES * substrings));
            MemorySegment.copy(head, 0, file, ValueLayout.JAVA_BYTE, 0, head.length);
            file.force();
        }
    }

    /**
     * Checks a tables file (mapped whole in {@code file}) against its segment and returns the index over it.
     */
    static MappedMultiIndex open(Path path, MemorySegment file, Segment segment, int substrings)
            throws FormatException {
        long size = file.byteSize();
        long headBytes = HEADER_BYTES + (long) ENTRY_BYTES * substrings + 4;
        if (size < headBytes) {
            byte[] head = file.asSlice(0, Math.min(size, 8)).toArray(ValueLayout.JAVA_BYTE);
            if (head.length == 8) IndexFormat.checkMagic(path, head, MAGIC, "deephash4j multi-index tables");
            throw new FormatException(path, "directory", size, "truncated at byte " + size + " of at least " + headBytes);
        }
        byte[] head = file.asSlice(0, headBytes).toArray(ValueLayout.JAVA_BYTE);   // at most the file's size
        IndexFormat.checkMagic(path, head, MAGIC, "deephash4j multi-index tables");
        ByteBuffer b = IndexFormat.little(head);
        IndexFormat.checkVersion(path, b);
        IndexFormat.checkCrc(path, head, 0, 44, 44, "headerCrc");
        if (b.getInt(12) != segment.bits() || b.getLong(16) != segment.size()) {
            throw new FormatException(path, "bits", 12, "tables of " + b.getLong(16) + " codes of " + b.getInt(12)
                    + " bits for a segment of " + segment.size() + " codes of " + segment.bits() + " bits");
        }
        if (b.getInt(24) != substrings) {
            throw new FormatException(path, "substrings", 24, "substrings = " + b.getInt(24) + " but the manifest says "
                    + substrings);
        }
        if (b.getInt(28) != segment.codesCrc()) {
            throw new FormatException(path, "segmentCrc", 28, "the tables were built for other codes than "
                    + segment.path().getFileName() + "'s");
        }
        IndexFormat.checkCrc(path, head, HEADER_BYTES, ENTRY_BYTES * substrings, HEADER_BYTES
                + ENTRY_BYTES * substrings, "directoryCrc");
        Layout layout = Layout.of(segment.bits(), segment.size(), substrings);
        if (b.getLong(32) != layout.fileLength() || size != layout.fileLength()) {
            throw new FormatException(path, "fileLength", 32, "fileLength = " + b.getLong(32) + ", file size " + size
                    + ", expected " + layout.fileLength());
        }
        for (int s = 0; s < substrings; s++) {
            int at = HEADER_BYTES + ENTRY_BYTES * s;
            TableShape shape = layout.shapes()[s];
            long[] stored = {b.getInt(at), b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12), b.getLong(at + 16),
                    b.getLong(at + 24), b.getLong(at + 32), b.getLong(at + 40)};
            long[] expected = {shape.start(), shape.length(), shape.direct() ? 1 : 0, shape.buckets(),
                    layout.offsetsAt()[s], layout.keysAt()[s], layout.rowsAt()[s], layout.codesAt()[s]};
            for (int f = 0; f < stored.length; f++) {
                if (stored[f] != expected[f]) {
                    throw new FormatException(path, "directory[" + s + "]", at + (f < 4 ? 4 * f : 16 + 8 * (f - 4)),
                            "table " + s + " field " + f + " = " + stored[f] + ", expected " + expected[f]);
                }
            }
        }
        try {
            return new MappedMultiIndex(segment.bits(), segment.size(), layout.tables(file, segment.size(),
                    segment.words()));
        } catch (IllegalArgumentException e) {
            throw new FormatException(path, "offsets", layout.body(), e.getMessage(), e);
        }
    }

    /** Checks the body's CRC (reads the whole file). */
    static void verify(Path path, MemorySegment file) throws FormatException {
        ByteBuffer b = IndexFormat.little(file.asSlice(0, HEADER_BYTES).toArray(ValueLayout.JAVA_BYTE));
        int m = b.getInt(24);
        long body = IndexFormat.align64(HEADER_BYTES + (long) ENTRY_BYTES * m + 4);
        for (long at = HEADER_BYTES + (long) ENTRY_BYTES * m + 4; at < body; at++) {
            if (file.get(ValueLayout.JAVA_BYTE, at) != 0) {
                throw new FormatException(path, "padding", at, "byte " + at + " before the tables is not 0");
            }
        }
        if (IndexFormat.crc(file, body, file.byteSize() - body) != b.getInt(40)) {
            throw new FormatException(path, "bodyCrc", 40, "tables checksum mismatch (the tables are corrupted)");
        }
    }
}
