package org.deephash4j.index;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.deephash4j.io.FormatException;
import org.deephash4j.search.BinaryCodes;

/**
 * The file of one segment: its codes, ids and side data, written once and never changed.
 *
 * <p>Layout (version 2, little-endian; every section starts at a multiple of 64 bytes, gaps are zero):
 * <pre>
 * offset  size  field
 *  0      8     magic               "DH4JSEG" then 0x1A
 *  8      4     version             2
 * 12      4     bits                K >= 1
 * 16      8     n                   codes, 0..2^31-1
 * 24      4     flags               1: labels, 2: sources, 4: features; other bits 0
 * 28      4     featureDim          > 0 exactly when flag 4 is set
 * 32      8     codesOffset         128
 * 40      8     idsOffset
 * 48      8     labelsOffset        0 when absent
 * 56      8     featuresOffset      0 when absent
 * 64      8     sourceOffsetsOffset 0 when absent
 * 72      8     sourceBytesOffset   0 when absent
 * 80      8     sourceBytesLength
 * 88      8     fileLength          the end of the last section: the file's exact size
 * 96      4     codesCrc            CRC32C of the codes section
 * 100     4     idsCrc              CRC32C of the ids section
 * 104     4     sideCrc             CRC32C of bytes [labelsOffset or the first side section, fileLength); 0 if none
 * 108     8     minId               ids[0] (0 when n = 0)
 * 116     8     maxId               ids[n - 1]
 * 124     4     headerCrc           CRC32C of bytes 0..123
 * codes          int64 [words][n]   word-major: word w of row i at codesOffset + 8 (w n + i); words = ceil(K/64)
 * ids            int64 [n]          strictly increasing, so row order is id order
 * labels         int32 [n]
 * features       float32 [n][featureDim]
 * sourceOffsets  int64 [n + 1]      source i is the UTF-8 bytes [sourceOffsets[i], sourceOffsets[i + 1])
 * sourceBytes    bytes
 * </pre>
 * Code words hold bit j of a code at bit 63 - j % 64 of word j / 64, as {@link BinaryCodes} does. Every offset is a
 * function of (K, n, flags, featureDim, sourceBytesLength), and the reader recomputes and compares them all.
 * Opening checks the header (magic, version, checksum, offsets, file size) and the first and last id; the
 * sections' checksums are checked by {@link Segment#verify()}, which reads the whole file.
 */
final class SegmentFile {
    static final byte[] MAGIC = {'D', 'H', '4', 'J', 'S', 'E', 'G', 0x1A};
    static final int HEADER_BYTES = 128;
    static final int LABELS = 1;
    static final int SOURCES = 2;
    static final int FEATURES = 4;
    /** Rows per block when writing. */
    private static final int BLOCK = 1 << 16;

    private SegmentFile() {
    }

    /** Section offsets of a segment; every field is derived from the four arguments of {@link #of}. */
    record Layout(int bits, int n, int flags, int featureDim, long codes, long ids, long labels, long features,
                  long sourceOffsets, long sourceBytes) {
        static Layout of(int bits, int n, int flags, int featureDim) {
            int words = BinaryCodes.wordsFor(bits);
            long codes = HEADER_BYTES;
            long ids = IndexFormat.align64(codes + 8L * words * n);
            long end = ids + 8L * n;
            long labels = 0;
            long features = 0;
            long sourceOffsets = 0;
            long sourceBytes = 0;
            if ((flags & LABELS) != 0) {
                labels = IndexFormat.align64(end);
                end = labels + 4L * n;
            }
            if ((flags & FEATURES) != 0) {
                features = IndexFormat.align64(end);
                end = features + 4L * n * featureDim;
            }
            if ((flags & SOURCES) != 0) {
                sourceOffsets = IndexFormat.align64(end);
                sourceBytes = IndexFormat.align64(sourceOffsets + 8L * (n + 1));
            }
            return new Layout(bits, n, flags, featureDim, codes, ids, labels, features, sourceOffsets, sourceBytes);
        }

        int words() {
            return BinaryCodes.wordsFor(bits);
        }

        /** Where the side sections start (the end of the ids when there are none). */
        long sideStart() {
            return ids + 8L * n;
        }

        long fileLength(long sourceBytesLength) {
            if ((flags & SOURCES) != 0) return sourceBytes + sourceBytesLength;
            if ((flags & FEATURES) != 0) return features + 4L * n * featureDim;
            if ((flags & LABELS) != 0) return labels + 4L * n;
            return ids + 8L * n;
        }
    }

    /** Checks each block of ids before it is written (the index's uniqueness rule); throws to abort the write. */
    @FunctionalInterface
    interface IdCheck {
        void check(long[] ids, int count);
    }

    /** What a written segment holds, for its manifest entry. */
    record Written(int rows, long minId, long maxId) {
    }

    /**
     * Writes {@code source} to {@code path} (a new file) and forces it to disk.
     *
     * @throws IllegalArgumentException if the source breaks its contract (ids not strictly increasing, padding
     *                                  bits set, bits differ from {@code bits}) or {@code check} refuses an id
     */
    static Written write(Path path, int bits, CodeSource source, IdCheck check) throws IOException {
        if (source.bits() != bits) {
            throw new IllegalArgumentException("append: the index holds " + bits + "-bit codes but the new codes have "
                    + source.bits() + " bits");
        }
        int n = source.size();
        int dim = source.featureDim();
        if (n < 0 || dim < 0) {
            throw new IllegalArgumentException("append: size " + n + " and featureDim " + dim + " must be >= 0");
        }
        int flags = (source.hasLabels() ? LABELS : 0) | (source.hasSources() ? SOURCES : 0) | (dim > 0 ? FEATURES : 0);
        Layout layout = Layout.of(bits, n, flags, dim);
        int words = layout.words();
        long pad = padMask(bits);
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            int block = Math.max(1, Math.min(BLOCK, n));
            long[] w = new long[block * words];
            long[] ids = new long[block];
            int[] labels = source.hasLabels() ? new int[block] : null;
            String[] sources = source.hasSources() ? new String[block] : null;
            float[] features = dim > 0 ? new float[block * dim] : null;
            ByteBuffer buffer = ByteBuffer.allocateDirect(8 * block * Math.max(1, dim)).order(ByteOrder.LITTLE_ENDIAN);
            long sourceCursor = 0;
            long previousId = 0;
            long minId = 0;
            long maxId = 0;
            for (int from = 0; from < n; from += block) {
                int count = Math.min(block, n - from);
                source.read(from, count, w, ids, labels, sources, features);
                for (int r = 0; r < count; r++) {
                    if ((from > 0 || r > 0) && ids[r] <= previousId) {
                        throw new IllegalArgumentException("append: id " + ids[r] + " at row " + (from + r)
                                + " does not follow id " + previousId + " (ids of a code source must be strictly "
                                + "increasing; CodeBatch sorts them, and ids must be unique)");
                    }
                    if ((w[r * words + words - 1] & pad) != 0) {
                        throw new IllegalArgumentException("append: row " + (from + r) + " has bits set past bit "
                                + bits + " (padding bits must be zero)");
                    }
                    previousId = ids[r];
                }
                if (from == 0 && count > 0) minId = ids[0];
                if (count > 0) maxId = ids[count - 1];
                check.check(ids, count);
                for (int word = 0; word < words; word++) {
                    buffer.clear();
                    for (int r = 0; r < count; r++) buffer.putLong(w[r * words + word]);
                    writeFully(c, buffer.flip(), layout.codes() + 8L * ((long) word * n + from));
                }
                buffer.clear();
                for (int r = 0; r < count; r++) buffer.putLong(ids[r]);
                writeFully(c, buffer.flip(), layout.ids() + 8L * from);
                if (labels != null) {
                    buffer.clear();
                    for (int r = 0; r < count; r++) buffer.putInt(labels[r]);
                    writeFully(c, buffer.flip(), layout.labels() + 4L * from);
                }
                if (features != null) {
                    buffer.clear();
                    for (int r = 0; r < count * dim; r++) buffer.putFloat(features[r]);
                    writeFully(c, buffer.flip(), layout.features() + 4L * from * dim);
                }
                if (sources != null) {
                    buffer.clear();
                    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
                    long blockStart = sourceCursor;
                    for (int r = 0; r < count; r++) {
                        buffer.putLong(sourceCursor);
                        byte[] utf8 = (sources[r] == null ? "" : sources[r]).getBytes(StandardCharsets.UTF_8);
                        text.write(utf8, 0, utf8.length);
                        sourceCursor += utf8.length;
                    }
                    writeFully(c, ByteBuffer.wrap(text.toByteArray()), layout.sourceBytes() + blockStart);
                    writeFully(c, buffer.flip(), layout.sourceOffsets() + 8L * from);
                }
            }
            if (source.hasSources()) {
                ByteBuffer last = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, sourceCursor);
                writeFully(c, last, layout.sourceOffsets() + 8L * n);
            }
            long length = layout.fileLength(sourceCursor);
            if (c.size() < length) writeFully(c, ByteBuffer.allocate(1), length - 1);  // a zero last byte at least
            c.truncate(length);
            c.force(true);
            byte[] header = header(c, layout, sourceCursor, length, minId, maxId);
            writeFully(c, ByteBuffer.wrap(header), 0);
            c.force(true);
            return new Written(n, minId, maxId);
        }
    }

    private static byte[] header(FileChannel c, Layout layout, long sourceBytesLength, long length, long minId,
                                 long maxId) throws IOException {
        int codesCrc;
        int idsCrc;
        int sideCrc = 0;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment file = c.map(FileChannel.MapMode.READ_ONLY, 0, length, arena);
            codesCrc = IndexFormat.crc(file, layout.codes(), 8L * layout.words() * layout.n());
            idsCrc = IndexFormat.crc(file, layout.ids(), 8L * layout.n());
            if (layout.flags() != 0) sideCrc = IndexFormat.crc(file, layout.sideStart(), length - layout.sideStart());
        }
        byte[] bytes = new byte[HEADER_BYTES];
        ByteBuffer b = IndexFormat.little(bytes);
        b.put(MAGIC).putInt(IndexFormat.VERSION).putInt(layout.bits()).putLong(layout.n()).putInt(layout.flags())
                .putInt(layout.featureDim()).putLong(layout.codes()).putLong(layout.ids()).putLong(layout.labels())
                .putLong(layout.features()).putLong(layout.sourceOffsets()).putLong(layout.sourceBytes())
                .putLong(sourceBytesLength).putLong(length).putInt(codesCrc).putInt(idsCrc).putInt(sideCrc)
                .putLong(minId).putLong(maxId);
        b.putInt(IndexFormat.crc(bytes, 0, 124));
        return bytes;
    }

    private static void writeFully(FileChannel c, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) at += c.write(b, at);
    }

    static long padMask(int bits) {
        int used = bits & 63;
        return used == 0 ? 0L : -1L >>> used;
    }

    /** The parsed header of a segment file. */
    record Header(Layout layout, long sourceBytesLength, long fileLength, int codesCrc, int idsCrc, int sideCrc,
                  long minId, long maxId) {
    }

    /**
     * Parses and checks a segment header against the file's size: every offset must be the one the layout gives,
     * so nothing read later can fall outside the file.
     */
    static Header parseHeader(Path path, byte[] bytes, long fileSize) throws FormatException {
        IndexFormat.checkMagic(path, bytes, MAGIC, "a deephash4j index segment");
        ByteBuffer b = IndexFormat.little(bytes);
        IndexFormat.checkVersion(path, b);
        IndexFormat.checkCrc(path, bytes, 0, 124, 124, "headerCrc");
        int bits = b.getInt(12);
        long n = b.getLong(16);
        int flags = b.getInt(24);
        int dim = b.getInt(28);
        if (bits < 1) throw new FormatException(path, "bits", 12, "bits = " + bits + ", expected >= 1");
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new FormatException(path, "n", 16, "n = " + n + ", expected 0.." + Integer.MAX_VALUE);
        }
        if ((flags & ~(LABELS | SOURCES | FEATURES)) != 0) {
            throw new FormatException(path, "flags", 24, "flags = " + flags + ", expected a combination of 1, 2, 4");
        }
        if (((flags & FEATURES) != 0) != (dim > 0) || dim < 0) {
            throw new FormatException(path, "featureDim", 28, "featureDim = " + dim + " with flags " + flags
                    + " (expected > 0 exactly when flag 4 is set)");
        }
        if ((long) bits * n > 8L * fileSize || (long) dim * n > fileSize) {
            throw new FormatException(path, "n", 16, n + " codes of " + bits + " bits and " + dim + " features each "
                    + "cannot fit in a file of " + fileSize + " bytes");
        }
        Layout layout = Layout.of(bits, (int) n, flags, dim);
        long[] expected = {layout.codes(), layout.ids(), layout.labels(), layout.features(), layout.sourceOffsets(),
                layout.sourceBytes()};
        String[] names = {"codesOffset", "idsOffset", "labelsOffset", "featuresOffset", "sourceOffsetsOffset",
                "sourceBytesOffset"};
        for (int i = 0; i < expected.length; i++) {
            long stored = b.getLong(32 + 8 * i);
            if (stored != expected[i]) {
                throw new FormatException(path, names[i], 32 + 8 * i, names[i] + " = " + stored + ", expected "
                        + expected[i] + " for " + n + " codes of " + bits + " bits with flags " + flags);
            }
        }
        long sourceBytesLength = b.getLong(80);
        if (sourceBytesLength < 0 || ((flags & SOURCES) == 0 && sourceBytesLength != 0)
                || sourceBytesLength > fileSize) {
            throw new FormatException(path, "sourceBytesLength", 80, "sourceBytesLength = " + sourceBytesLength);
        }
        long length = b.getLong(88);
        if (length != layout.fileLength(sourceBytesLength)) {
            throw new FormatException(path, "fileLength", 88, "fileLength = " + length + ", expected "
                    + layout.fileLength(sourceBytesLength));
        }
        if (length != fileSize) {
            throw new FormatException(path, "fileLength", 88, (fileSize < length ? "truncated: " : "") + "the file has "
                    + fileSize + " bytes but its header says " + length);
        }
        long minId = b.getLong(108);
        long maxId = b.getLong(116);
        if (n > 0 && minId > maxId) {
            throw new FormatException(path, "minId", 108, "minId " + minId + " > maxId " + maxId);
        }
        return new Header(layout, sourceBytesLength, length, b.getInt(96), b.getInt(100), b.getInt(104), minId, maxId);
    }
}
