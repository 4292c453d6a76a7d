package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.deephash4j.io.FormatException;
import org.deephash4j.testing.HostileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files made to hurt the readers (issue 21): each ends in one {@link DatasetFormatException} naming
 * the file and the field, allocating a small multiple of the bytes present, in bounded time, and no
 * reader blocks on a FIFO.
 */
class DataReadersHostileTest {
    @TempDir
    Path dir;

    private static DatasetFormatException rejected(Path file, long allowedBytes, HostileFiles.Work read) {
        HostileFiles.Cost cost = HostileFiles.measure(read);
        DatasetFormatException e = assertInstanceOf(DatasetFormatException.class, cost.thrown(), String.valueOf(cost.thrown()));
        assertEquals(file, e.path());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        HostileFiles.assertAllocatedAtMost(allowedBytes, cost, file.getFileName().toString());
        return e;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(plain);
        }
        return b.toByteArray();
    }

    @Test
    void idxHeadersClaimingMoreThanTheFileHoldsAllocateNothing() throws IOException {
        // a labels file claiming 2^31 - 1 labels, and an images header alone claiming 2 GB of pixels
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        Files.write(labels, IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {Integer.MAX_VALUE}, new byte[100]));
        DatasetFormatException e = rejected(labels, 1 << 20, () -> IdxReader.readLabels(labels, 10));
        assertEquals("labels", e.field());
        assertTrue(e.getMessage().contains("truncated at byte 108 while reading " + Integer.MAX_VALUE + " labels"), e.getMessage());

        Path images = dir.resolve("train-images-idx3-ubyte");
        Files.write(images, IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {2_700_000, 28, 28}, new byte[0]));
        assertEquals("pixels", rejected(images, 1 << 20, () -> IdxReader.readImages(images)).field());

        // gzip: the uncompressed length is unknown, so pixels are collected as they inflate
        Path gz = dir.resolve("t10k-images-idx3-ubyte.gz");
        Files.write(gz, gzip(IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {2_700_000, 28, 28}, new byte[3 << 20])));
        DatasetFormatException g = rejected(gz, 16L << 20, () -> IdxReader.readImages(gz));
        assertTrue(g.getMessage().contains("truncated at byte " + (16 + (3 << 20))), g.getMessage());
    }

    @Test
    void gzipWithTrailingDataIsNotInflatedToItsEnd() throws IOException {
        // one image, then 8 GB of zeros in 8,192 more gzip members of 1 MB each (an 8 MB file): reading to the
        // end took minutes; one byte tells
        Path gz = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] member = gzip(new byte[1 << 20]);
        try (OutputStream out = Files.newOutputStream(gz)) {
            out.write(gzip(IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[4])));
            for (int i = 0; i < 8192; i++) out.write(member);
        }
        DatasetFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> rejected(gz, 1 << 20, () -> IdxReader.readImages(gz)));
        assertEquals("end", e.field());
        assertEquals(20, e.offset());
        assertTrue(e.getMessage().contains("unexpected bytes after the data at byte 20"), e.getMessage());
        // a plain file says how many
        Path plain = dir.resolve("plain-idx3-ubyte");
        Files.write(plain, IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[4 + 7]));
        assertTrue(rejected(plain, 1 << 20, () -> IdxReader.readImages(plain)).getMessage().contains("7 unexpected bytes"));
    }

    @Test
    void corruptGzipIsAFormatError() throws IOException {
        byte[] good = gzip(IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 3}, new byte[18]));
        byte[] bad = good.clone();
        bad[good.length - 6] ^= 0x55;              // the CRC-32 trailer
        Path p = dir.resolve("crc.gz");
        Files.write(p, bad);
        rejected(p, 1 << 20, () -> IdxReader.readImages(p));
        Path header = dir.resolve("header.gz");
        Files.write(header, new byte[] {0x1f, (byte) 0x8b, 1, 2});
        assertEquals("gzip header", rejected(header, 1 << 20, () -> IdxReader.readImages(header)).field());
    }

    @Test
    void cifarBatchesAreReadRecordByRecord() throws IOException {
        // a 3 GB sparse file: refused from its length, before anything is allocated
        Path huge = dir.resolve("data_batch_1.bin");
        long records = (3L << 30) / Cifar10Reader.RECORD;
        try (FileChannel ch = FileChannel.open(huge, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0}), records * Cifar10Reader.RECORD - 1);
        }
        DatasetFormatException e = rejected(huge, 1 << 20, () -> Cifar10Reader.readBatch(huge));
        assertTrue(e.getMessage().contains("more than one data set holds"), e.getMessage());
        // a 60 MB sparse file is read, and costs about its pixels (not twice)
        Path mid = dir.resolve("data_batch_2.bin");
        long n = 20_000;
        try (FileChannel ch = FileChannel.open(mid, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0}), n * Cifar10Reader.RECORD - 1);
        }
        HostileFiles.Cost cost = HostileFiles.measure(() -> assertEquals((int) n, Cifar10Reader.readBatch(mid).size()));
        assertEquals(null, cost.thrown());
        HostileFiles.assertAllocatedAtMost(3 * n * Cifar10Reader.RECORD, cost, "data_batch_2.bin");
        Files.delete(huge);
        Files.delete(mid);
    }

    @Test
    void listFilesAreStreamedWithBoundedLines() throws IOException {
        Path list = dir.resolve("train.txt");
        try (OutputStream out = Files.newOutputStream(list)) {
            byte[] noNewline = new byte[1 << 20];
            java.util.Arrays.fill(noNewline, (byte) 'a');
            for (int i = 0; i < 64; i++) out.write(noNewline);     // 64 MB on one line
        }
        DatasetFormatException e = rejected(list, 4 << 20, () -> ListFileReader.read(list, dir, 1, 8, 8));
        assertEquals("line 1", e.field());
        assertTrue(e.getMessage().contains("longer than " + ListFileReader.MAX_LINE + " bytes"), e.getMessage());

        Files.write(list, new byte[] {'a', '.', 'p', 'n', 'g', ' ', '1', '\n', (byte) 0xc3, ' ', '1', '\n'});
        writePng(dir.resolve("a.png"), 4, 4);
        DatasetFormatException utf = rejected(list, 4 << 20, () -> ListFileReader.read(list, dir, 1, 8, 8));
        assertEquals("line 2", utf.field());
        assertEquals(8, utf.offset());
    }

    @Test
    void blankLinesCostNoMemory() throws IOException {
        // the shape the fuzzer found in CI (seed -1250409825, iteration 1047): two entries, half a million
        // empty lines, one line that is not UTF-8. Each blank line once cost a decoder buffer and a String:
        // 150 bytes of garbage per byte of file, more or less as the JIT happened to remove them.
        writePng(dir.resolve("a.png"), 4, 4);
        Path list = dir.resolve("train.txt");
        int blankLines = 4 << 20;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(list))) {
            out.write("a.png 1 0\na.png 0 1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < blankLines; i++) out.write(i % 3 == 0 ? ' ' : '\n');
            out.write(new byte[] {(byte) 0xfc, '\n'});
        }
        DatasetFormatException e = rejected(list, 2 << 20, () -> ListFileReader.read(list, dir, 1, 8, 8));
        assertTrue(e.getMessage().endsWith("is not UTF-8 text"), e.getMessage());
    }

    @Test
    void aListEntryThatNamesAFifoFailsAtOnce() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("stuck.png"));
        Path list = dir.resolve("train.txt");
        Files.writeString(list, "stuck.png 1 0\n");
        FormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FormatException.class, () -> ListFileReader.read(list, dir, 1, 8, 8)));
        assertEquals(fifo, e.path());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        // the list file itself, the IDX files and the CIFAR batches are checked the same way
        Path fifoList = HostileFiles.fifo(dir.resolve("list.txt"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThrows(FormatException.class, () -> ListFileReader.read(fifoList, dir, 1, 8, 8));
            assertThrows(FormatException.class, () -> IdxReader.readImages(fifoList));
            assertThrows(FormatException.class, () -> IdxReader.readLabels(fifoList, 10));
            assertThrows(FormatException.class, () -> Cifar10Reader.readBatch(fifoList));
            assertThrows(FormatException.class, () -> ImageLoader.load(fifoList, 1, 8, 8));
        });
    }

    @Test
    void imagesLargerThanThePixelLimitAreRefusedBeforeDecoding() throws IOException {
        // a 40,000 x 40,000 PNG header (1.6 gigapixels) over a few bytes of data
        Path png = dir.resolve("huge.png");
        Files.write(png, pngHeader(40_000, 40_000));
        DatasetFormatException e = rejected(png, 1 << 20, () -> ImageLoader.load(png, 1, 8, 8));
        assertEquals("size", e.field());
        assertTrue(e.getMessage().contains("image of 40000 x 40000 pixels; at most " + ImageLoader.DEFAULT_MAX_PIXELS
                + " pixels are decoded (raise the limit with --max-image-pixels"), e.getMessage());
        // the limit is a documented property: lowered here, a normal image is refused; restored, it loads
        Path small = dir.resolve("small.png");
        writePng(small, 30, 20);
        String before = System.getProperty(ImageLoader.MAX_PIXELS_PROPERTY);
        System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, "599");
        try {
            assertTrue(assertThrows(DatasetFormatException.class, () -> ImageLoader.load(small, 1, 8, 8)).getMessage()
                    .contains("at most 599 pixels"));
            System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, "600");
            assertEquals(64, ImageLoader.load(small, 1, 8, 8).length);
        } finally {
            if (before == null) System.clearProperty(ImageLoader.MAX_PIXELS_PROPERTY);
            else System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, before);
        }
    }

    static void writePng(Path path, int width, int height) throws IOException {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) im.setRGB(x, y, (x * 40) << 8 | y * 20);
        ImageIO.write(im, "png", path.toFile());
    }

    /** A PNG signature and IHDR chunk claiming width x height 8-bit RGB, then an empty IDAT and IEND. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(b, "IDAT", new byte[0]);
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }
}
