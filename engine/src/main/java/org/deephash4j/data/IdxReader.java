package org.deephash4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzipped or not (detected from the first two
 * bytes, 0x1f 0x8b).
 *
 * <p>Layout (big-endian): two zero bytes, a type byte (0x08 = unsigned byte, the only type these
 * data sets use), a byte with the number of dimensions d, then d 32-bit dimensions, then the data
 * row-major. Images are {@code 0x00000803} (count, rows, cols), labels {@code 0x00000801} (count).
 * Every field is checked, and a short or over-long file is reported with its byte offset.
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
        try (InputStream in = open(path)) {
            return readImages(in, path);
        }
    }

    /** Reads a label file ({@code 0x00000801}); each label must be below {@code maxClasses}. */
    public static byte[] readLabels(Path path, int maxClasses) throws IOException {
        try (InputStream in = open(path)) {
            return readLabels(in, path, maxClasses);
        }
    }

    static Images readImages(InputStream in, Path path) throws IOException {
        Cursor c = new Cursor(in, path);
        c.magic(IMAGES_MAGIC, "IDX image file");
        int count = c.dimension("image count");
        int rows = c.dimension("rows");
        int cols = c.dimension("cols");
        long n = (long) count * rows * cols;
        if (n > Integer.MAX_VALUE - 16) {
            throw new DatasetFormatException(path, count + " images of " + rows + "x" + cols + " are too many for one array");
        }
        byte[] pixels = c.bytes((int) n, "pixels of " + count + " images of " + rows + "x" + cols);
        c.expectEnd();
        return new Images(count, rows, cols, pixels);
    }

    static byte[] readLabels(InputStream in, Path path, int maxClasses) throws IOException {
        Cursor c = new Cursor(in, path);
        c.magic(LABELS_MAGIC, "IDX label file");
        int count = c.dimension("label count");
        byte[] labels = c.bytes(count, count + " labels");
        for (int i = 0; i < count; i++) {
            int label = labels[i] & 0xff;
            if (label >= maxClasses) {
                throw new DatasetFormatException(path, "label " + label + " at byte " + (8 + i)
                        + " is out of range; expected 0.." + (maxClasses - 1));
            }
        }
        c.expectEnd();
        return labels;
    }

    /** Opens a file, unwrapping gzip when the file starts with the gzip magic bytes. */
    static InputStream open(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file");
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    /** Reads fields in order and keeps the byte offset (of the uncompressed stream) for messages. */
    private static final class Cursor {
        private final InputStream in;
        private final Path path;
        private long offset;

        Cursor(InputStream in, Path path) {
            this.in = in;
            this.path = path;
        }

        void magic(int expected, String what) throws IOException {
            int magic = int32("magic number");
            if (magic != expected) {
                String hint = magic == (expected ^ 0x02) || (magic & 0xffffff00) == 0x00000800
                        ? "" : " (is this an IDX file?)";
                throw new DatasetFormatException(path, String.format(
                        "bad magic number 0x%08x at byte 0, expected 0x%08x (%s)%s", magic, expected, what, hint));
            }
        }

        int dimension(String field) throws IOException {
            long at = offset;
            int d = int32(field);
            if (d <= 0) {
                throw new DatasetFormatException(path, field + " is " + d + " at byte " + at + "; expected a positive number");
            }
            return d;
        }

        int int32(String field) throws IOException {
            byte[] b = bytes(4, field);
            return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }

        byte[] bytes(int n, String field) throws IOException {
            byte[] out = new byte[n];
            int done = 0;
            try {
                while (done < n) {
                    int r = in.read(out, done, n - done);
                    if (r < 0) break;
                    done += r;
                }
            } catch (EOFException e) {
                // a gzip stream cut short ends here; reported below as truncation
            }
            if (done < n) {
                throw new DatasetFormatException(path, "truncated at byte " + (offset + done) + " while reading "
                        + field + " (" + n + " bytes from byte " + offset + ")");
            }
            offset += n;
            return out;
        }

        void expectEnd() throws IOException {
            long extra = 0;
            while (in.read() >= 0) extra++;
            if (extra > 0) {
                throw new DatasetFormatException(path, extra + " unexpected bytes after the data at byte " + offset
                        + "; the header's dimensions do not match the file length");
            }
        }
    }
}
