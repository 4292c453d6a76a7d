package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    static void write(Path path, byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) {
            Files.write(path, bytes);
            return;
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
            out.write(bytes);
        }
    }

    static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) p[i] = (byte) (i * 7);
        return p;
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] data = pixels(3 * 2 * 5);
        for (boolean gz : new boolean[] {false, true}) {
            Path p = dir.resolve("images" + gz);
            write(p, idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 5}, data), gz);
            IdxReader.Images im = IdxReader.readImages(p);
            assertEquals(3, im.count());
            assertEquals(2, im.rows());
            assertEquals(5, im.cols());
            assertArrayEquals(data, im.pixels(), "gzip=" + gz);
        }
    }

    @Test
    void wrongMagicNamesFileFieldAndBoth() throws IOException {
        Path p = dir.resolve("train-images-idx3-ubyte");
        write(p, idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[3]), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte: bad magic number 0x00000801 at byte 0, expected 0x00000803"),
                e.getMessage());
    }

    @Test
    void truncatedFileGivesTheByteOffset() throws IOException {
        byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {4, 3, 3}, pixels(36));
        for (boolean gz : new boolean[] {false, true}) {
            Path p = dir.resolve("cut" + gz);
            write(p, Arrays.copyOf(full, full.length - 10), gz);
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(p));
            assertTrue(e.getMessage().contains("truncated at byte " + (full.length - 10)), e.getMessage());
        }
    }

    @Test
    void truncatedHeaderAndTrailingBytesAreReported() throws IOException {
        Path p = dir.resolve("short");
        write(p, new byte[] {0, 0, 8, 3, 0, 0}, false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated at byte 6 while reading image count"), e.getMessage());

        Path q = dir.resolve("long");
        byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, pixels(6));
        write(q, full, false);
        e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(q));
        assertTrue(e.getMessage().contains("2 unexpected bytes after the data at byte 20"), e.getMessage());
    }

    @Test
    void labelsOutOfRangeAndCountMismatch() throws IOException {
        Path labels = dir.resolve("labels");
        write(labels, idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 12, 2}), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(labels, 10));
        assertTrue(e.getMessage().contains("label 12 at byte 9 is out of range"), e.getMessage());

        Path images = dir.resolve("images");
        write(images, idx(IdxReader.IMAGES_MAGIC, new int[] {2, 2, 2}, pixels(8)), false);
        Path good = dir.resolve("good-labels");
        write(good, idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3}), false);
        e = assertThrows(DatasetFormatException.class,
                () -> IdxDataset.read(images, good, "t", Dataset.numberedClasses(10)));
        assertTrue(e.getMessage().contains("holds 3 labels but images holds 2 images"), e.getMessage());
    }

    @Test
    void folderWithMissingFileSaysWhichOne() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, pixels(4)), true);
        IOException e = assertThrows(IOException.class, () -> IdxDataset.load(dir, "x", true));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void loadsAFolderAsTrainThenTest() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, pixels(12)), true);
        write(dir.resolve("train-labels-idx1-ubyte.gz"), idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {0, 1, 9}), true);
        write(dir.resolve("t10k-images-idx3-ubyte"), idx(IdxReader.IMAGES_MAGIC, new int[] {2, 2, 2}, pixels(8)), false);
        write(dir.resolve("t10k-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {5, 3}), false);
        DataSource s = IdxDataset.load(dir, "tiny", true);
        assertEquals(5, s.all().size());
        assertArrayEquals(new int[] {0, 1, 2}, s.trainPool());
        assertArrayEquals(new int[] {3, 4}, s.testPool());
        assertEquals(9, s.all().classOf(2));
        assertEquals(3, s.all().classOf(4));
        assertEquals("Ankle boot", s.all().classNames().get(9));
    }

    @Test
    void garbageIsNotAnIdxFile() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("hello world, not idx".getBytes());
        Path p = dir.resolve("text.txt");
        write(p, b.toByteArray(), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("is this an IDX file?"), e.getMessage());
    }
}
