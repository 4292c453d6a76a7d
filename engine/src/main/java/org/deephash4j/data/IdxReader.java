package org.deephash4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.deephash4j.io.InputFiles;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzipped or not (detected from the first two
 * bytes, 0x1f 0x8b).
 *
 * <p>Layout (big-endian): two zero bytes, a type byte (0x08 = unsigned byte, the only type these
 * data sets use), a byte with the number of dimensions d, then d 32-bit dimensions, then the data
 * row-major. Images are {@code 0x00000803} (count, rows, cols), labels {@code 0x00000801} (count).
 * Every field is checked, and a short or over-long file is reported with its byte offset.
 *
 * <p>Bounded in memory and time whatever the header says: a plain file's counts are checked against
 * its length before anything is allocated; the data of a gzip file is collected as it inflates
 * ({@link GrowingBytes}), so a header claiming 2^31 images costs nothing until they arrive; data after
 * the end is detected by reading one byte, not by inflating the rest; only regular files are opened.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images of an IDX3 file: {@code [count, rows, cols]} unsigned bytes. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** Reads an image file ({@code 0x00000803}). */
    public static Images readImages(Path path) throws IOException {
        long length = InputFiles.requireRegularFile(path, "IDX image file");
        try (InputStream in = open(path)) {
            return readImages(in, path, gzip(path) ? -1 : length);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
    }

    /** Reads a label file ({@code 0x00000801}); each label must be below {@code maxClasses}. */
    public static byte[] readLabels(Path path, int maxClasses) throws IOException {
        long length = InputFiles.requireRegularFile(path, "IDX label file");
        try (InputStream in = open(path)) {
            return readLabels(in, path, maxClasses, gzip(path) ? -1 : length);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
    }

    static Images readImages(InputStream in, Path path) throws IOException {
        return readImages(in, path, -1);
    }

    static byte[] readLabels(InputStream in, Path path, int maxClasses) throws IOException {
        return readLabels(in, path, maxClasses, -1);
    }

    // length: bytes in the (uncompressed) file, or -1 when unknown (gzip, a stream)
    private static Images readImages(InputStream in, Path path, long length) throws IOException {
        Cursor c = new Cursor(in, path, length);
        c.magic(IMAGES_MAGIC, "IDX image file");
        int count = c.dimension("image count");
        int rows = c.dimension("rows");
        int cols = c.dimension("cols");
        // count * rows < 2^62; when it is at most MAX_ARRAY, times cols is below 2^62 too: nothing wraps.
        long n = (long) count * rows;
        if (n > GrowingBytes.MAX_ARRAY || n * cols > GrowingBytes.MAX_ARRAY) {
            throw new DatasetFormatException(path, "image count", 4, count + " images of " + rows + "x" + cols
                    + " pixels are more bytes than one Java array holds (" + GrowingBytes.MAX_ARRAY + ")");
        }
        n *= cols;
        byte[] pixels = c.bytes(n, "pixels", "pixels of " + count + " images of " + rows + "x" + cols);
        c.expectEnd();
        return new Images(count, rows, cols, pixels);
    }

    private static byte[] readLabels(InputStream in, Path path, int maxClasses, long length) throws IOException {
        Cursor c = new Cursor(in, path, length);
        c.magic(LABELS_MAGIC, "IDX label file");
        int count = c.dimension("label count");
        byte[] labels = c.bytes(count, "labels", count + " labels");
        for (int i = 0; i < count; i++) {
            int label = labels[i] & 0xff;
            if (label >= maxClasses) {
                throw new DatasetFormatException(path, "labels", 8 + i, "label " + label + " at byte " + (8 + i)
                        + " is out of range; expected 0.." + (maxClasses - 1));
            }
        }
        c.expectEnd();
        return labels;
    }

    /** Opens a file, unwrapping gzip when the file starts with the gzip magic bytes. */
    static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw new DatasetFormatException(path, "gzip header", 0, "corrupt gzip header (" + e.getMessage() + ")");
            }
        }
        return raw;
    }

    private static boolean gzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Reads fields in order and keeps the byte offset (of the uncompressed stream) for messages. */
    private static final class Cursor {
        private final InputStream in;
        private final Path path;
        private final long length;   // -1: unknown
        private long offset;

        Cursor(InputStream in, Path path, long length) {
            this.in = in;
            this.path = path;
            this.length = length;
        }

        void magic(int expected, String what) throws IOException {
            int magic = int32("magic", "magic number");
            if (magic != expected) {
                String hint = magic == (expected ^ 0x02) || (magic & 0xffffff00) == 0x00000800
                        ? "" : " (is this an IDX file?)";
                throw new DatasetFormatException(path, "magic", 0, String.format(
                        "bad magic number 0x%08x at byte 0, expected 0x%08x (%s)%s", magic, expected, what, hint));
            }
        }

        int dimension(String field) throws IOException {
            long at = offset;
            int d = int32(field, field);
            if (d <= 0) {
                throw new DatasetFormatException(path, field, at, field + " is " + d + " at byte " + at + "; expected a positive number");
            }
            return d;
        }

        int int32(String field, String what) throws IOException {
            byte[] b = bytes(4, field, what);
            return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }

        byte[] bytes(long n, String field, String what) throws IOException {
            if (length >= 0 && offset + n > length) {
                // A plain file's length is known: a header claiming more than the file holds allocates nothing.
                throw truncated(length, n, field, what);
            }
            if (n > GrowingBytes.MAX_ARRAY) {
                throw new DatasetFormatException(path, field, offset, what + " are more bytes than one Java array holds ("
                        + GrowingBytes.MAX_ARRAY + ")");
            }
            GrowingBytes out = new GrowingBytes(n, length >= 0 ? n : 0);
            long done;
            try {
                done = out.readFrom(in, n);
            } catch (ZipException e) {
                throw corrupt(field, out.size(), e);
            }
            if (done < n) throw truncated(offset + done, n, field, what);
            offset += n;
            return out.toArray();
        }

        private DatasetFormatException corrupt(String field, long done, IOException e) {
            return new DatasetFormatException(path, field, offset + done, "corrupt gzip data at uncompressed byte "
                    + (offset + done) + " (" + e.getMessage() + ")");
        }

        private DatasetFormatException truncated(long at, long n, String field, String what) {
            return new DatasetFormatException(path, field, offset, "truncated at byte " + at + " while reading "
                    + what + " (" + n + " bytes from byte " + offset + ")");
        }

        void expectEnd() throws IOException {
            // One byte tells; a gzip file followed by gigabytes is not inflated to its end.
            int next;
            try {
                next = in.read();
            } catch (ZipException | EOFException e) {
                throw corrupt("end", 0, e);
            }
            if (next >= 0) {
                String extra = length >= 0 ? (length - offset) + " unexpected bytes" : "unexpected bytes";
                throw new DatasetFormatException(path, "end", offset, extra + " after the data at byte " + offset
                        + "; the header's dimensions do not match the file length");
            }
        }
    }
}
