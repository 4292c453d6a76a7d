package org.deephash4j.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.deephash4j.io.FormatException;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.SegmentHammingKernels;

/**
 * One segment as a searcher sees it: the codes (word-major), ids (ascending) and side data of a
 * {@link SegmentFile}, read through a {@link MemorySegment} (a mapped file, or memory for a version-1 index read
 * into the heap). Immutable; safe for concurrent readers while the memory is held.
 */
final class Segment {
    private static final ValueLayout.OfLong LONG = SegmentHammingKernels.WORD;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final MemorySegment file;
    private final SegmentFile.Header header;
    private final int bits;
    private final int words;
    private final int n;
    private final MemorySegment codes;
    private final MemorySegment ids;

    private Segment(Path path, MemorySegment file, SegmentFile.Header header) {
        this.path = path;
        this.file = file;
        this.header = header;
        SegmentFile.Layout layout = header.layout();
        this.bits = layout.bits();
        this.words = layout.words();
        this.n = layout.n();
        this.codes = file.asSlice(layout.codes(), 8L * words * n);
        this.ids = file.asSlice(layout.ids(), 8L * n);
    }

    /**
     * A segment over a whole segment file's bytes (mapped, or in memory), after checking its header, size and the
     * first and last id against the header.
     */
    static Segment of(Path path, MemorySegment file) throws FormatException {
        long size = file.byteSize();
        if (size < SegmentFile.HEADER_BYTES) {
            byte[] head = file.asSlice(0, Math.min(size, 8)).toArray(ValueLayout.JAVA_BYTE);
            if (head.length == 8) IndexFormat.checkMagic(path, head, SegmentFile.MAGIC, "a deephash4j index segment");
            throw new FormatException(path, "header", size, "truncated at byte " + size + " of at least "
                    + SegmentFile.HEADER_BYTES + " while reading 'header'");
        }
        byte[] head = file.asSlice(0, SegmentFile.HEADER_BYTES).toArray(ValueLayout.JAVA_BYTE);
        Segment s = new Segment(path, file, SegmentFile.parseHeader(path, head, size));
        if (s.n > 0 && (s.id(0) != s.header.minId() || s.id(s.n - 1) != s.header.maxId())) {
            throw new FormatException(path, "ids", s.header.layout().ids(), "first and last id " + s.id(0) + ", "
                    + s.id(s.n - 1) + " differ from the header's minId " + s.header.minId() + " and maxId "
                    + s.header.maxId());
        }
        return s;
    }

    Path path() {
        return path;
    }

    int bits() {
        return bits;
    }

    int words() {
        return words;
    }

    int size() {
        return n;
    }

    /** Word-major codes: word w of row i at byte 8 (w n + i). */
    MemorySegment codes() {
        return codes;
    }

    long minId() {
        return header.minId();
    }

    long maxId() {
        return header.maxId();
    }

    int codesCrc() {
        return header.codesCrc();
    }

    long id(int row) {
        return ids.get(LONG, 8L * row);
    }

    /** Word w of the code of {@code row}. */
    long word(int row, int w) {
        return codes.get(LONG, 8L * ((long) w * n + row));
    }

    /** Copies the code of {@code row} into {@code out[off, off + words)} (row-major). */
    void code(int row, long[] out, int off) {
        for (int w = 0; w < words; w++) out[off + w] = word(row, w);
    }

    /** The row holding {@code id}, or -1: a binary search over the ascending ids. */
    int rowOf(long id) {
        if (n == 0 || id < header.minId() || id > header.maxId()) return -1;
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = id(mid);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The first row whose id is >= {@code id} (n if none). */
    int lowerBound(long id) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (id(mid) < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    boolean hasLabels() {
        return (header.layout().flags() & SegmentFile.LABELS) != 0;
    }

    boolean hasSources() {
        return (header.layout().flags() & SegmentFile.SOURCES) != 0;
    }

    int featureDim() {
        return header.layout().featureDim();
    }

    int label(int row) {
        if (!hasLabels()) throw new IllegalStateException(path.getFileName() + " has no labels");
        return file.get(INT, header.layout().labels() + 4L * row);
    }

    float[] features(int row) {
        int dim = featureDim();
        float[] f = new float[dim];
        long at = header.layout().features() + 4L * row * dim;
        for (int j = 0; j < dim; j++) f[j] = file.get(FLOAT, at + 4L * j);
        return f;
    }

    /**
     * The source string of {@code row}; its offsets are checked against the section first.
     *
     * @throws UncheckedIOException wrapping a {@link FormatException} if the offsets are corrupted
     */
    String source(int row) {
        if (!hasSources()) throw new IllegalStateException(path.getFileName() + " has no sources");
        SegmentFile.Layout layout = header.layout();
        long at = layout.sourceOffsets() + 8L * row;
        long from = file.get(LONG, at);
        long to = file.get(LONG, at + 8);
        if (from < 0 || to < from || to > header.sourceBytesLength() || to - from > Integer.MAX_VALUE) {
            throw new UncheckedIOException(new FormatException(path, "sourceOffsets", at, "source " + row
                    + " spans bytes [" + from + ", " + to + ") of " + header.sourceBytesLength()));
        }
        byte[] utf8 = file.asSlice(layout.sourceBytes() + from, to - from).toArray(ValueLayout.JAVA_BYTE);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The codes of some rows as {@link BinaryCodes} with their ids. */
    BinaryCodes select(int[] rows) {
        long[] w = new long[rows.length * words];
        long[] id = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            code(rows[i], w, i * words);
            id[i] = id(rows[i]);
        }
        return BinaryCodes.fromWords(bits, w, id);
    }

    /**
     * Reads the whole file: every section's checksum, ids strictly increasing and the source offsets.
     *
     * @throws FormatException naming the first field found wrong
     */
    void verify() throws FormatException {
        SegmentFile.Layout layout = header.layout();
        if (IndexFormat.crc(file, layout.codes(), 8L * words * n) != header.codesCrc()) {
            throw new FormatException(path, "codesCrc", 96, "codes checksum mismatch (the codes are corrupted)");
        }
        if (IndexFormat.crc(file, layout.ids(), 8L * n) != header.idsCrc()) {
            throw new FormatException(path, "idsCrc", 100, "ids checksum mismatch (the ids are corrupted)");
        }
        if (layout.flags() != 0 && IndexFormat.crc(file, layout.sideStart(), header.fileLength() - layout.sideStart())
                != header.sideCrc()) {
            throw new FormatException(path, "sideCrc", 104, "side data checksum mismatch (labels, features or "
                    + "sources are corrupted)");
        }
        long gapFrom = layout.codes() + 8L * words * n;
        for (long at = gapFrom; at < layout.ids(); at++) {
            if (file.get(ValueLayout.JAVA_BYTE, at) != 0) {
                throw new FormatException(path, "padding", at, "byte " + at + " between the codes and the ids is not 0");
            }
        }
        for (int i = 1; i < n; i++) {
            if (id(i) <= id(i - 1)) {
                throw new FormatException(path, "ids", layout.ids() + 8L * i, "id " + id(i) + " at row " + i
                        + " does not follow " + id(i - 1) + " (ids must be strictly increasing)");
            }
        }
        long pad = SegmentFile.padMask(bits);
        for (int i = 0; i < n && pad != 0; i++) {
            if ((word(i, words - 1) & pad) != 0) {
                throw new FormatException(path, "codes", layout.codes() + 8L * ((long) (words - 1) * n + i), "row " + i
                        + " has bits set past bit " + bits);
            }
        }
        if (hasSources()) {
            long previous = 0;
            for (int i = 0; i <= n; i++) {
                long at = layout.sourceOffsets() + 8L * i;
                long o = file.get(LONG, at);
                if (o < previous || o > header.sourceBytesLength() || (i == 0 && o != 0)
                        || (i == n && o != header.sourceBytesLength())) {
                    throw new FormatException(path, "sourceOffsets", at, "offset " + o + " after " + previous
                            + " (expected non-decreasing from 0 to " + header.sourceBytesLength() + ")");
                }
                previous = o;
            }
        }
    }

    @Override
    public String toString() {
        return "Segment[" + path.getFileName() + ", " + n + " codes of " + bits + " bits]";
    }
}
