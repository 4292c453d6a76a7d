package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 batches, image folders and list files, read from small generated files. */
class FileFormatsTest {
    @TempDir
    Path dir;

    @Test
    void cifarBatchRecordsAreLabelThenPlanes() throws IOException {
        byte[] bytes = new byte[2 * Cifar10Reader.RECORD];
        bytes[0] = 3;
        bytes[1] = 11;                                  // red, pixel (0, 0)
        bytes[1 + 1024] = 22;                           // green, pixel (0, 0)
        bytes[Cifar10Reader.RECORD] = 9;
        bytes[Cifar10Reader.RECORD + 3072] = 33;        // blue, pixel (31, 31) of image 1
        Path p = dir.resolve("data_batch_1.bin");
        Files.write(p, bytes);
        Dataset d = Cifar10Reader.readBatch(p);
        assertEquals(2, d.size());
        assertEquals("3x32x32", d.shapeText());
        assertEquals(3, d.classOf(0));
        assertEquals(9, d.classOf(1));
        assertEquals(11, d.rawImage(0)[0]);
        assertEquals(22, d.rawImage(0)[1024]);
        assertEquals(33, d.rawImage(1)[3071]);

        Files.write(p, Arrays.copyOf(bytes, bytes.length - 5));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Cifar10Reader.readBatch(p));
        assertTrue(e.getMessage().contains("truncated at byte 3073, record 1"), e.getMessage());

        bytes[0] = 42;
        Files.write(p, bytes);
        e = assertThrows(DatasetFormatException.class, () -> Cifar10Reader.readBatch(p));
        assertTrue(e.getMessage().contains("label 42 at byte 0"), e.getMessage());
    }

    static void png(Path path, int w, int h, int rgb) throws IOException {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, rgb);
        Files.createDirectories(path.getParent());
        ImageIO.write(im, "png", path.toFile());
    }

    @Test
    void imageFolderClassesAreSortedSubFolders() throws IOException {
        png(dir.resolve("root/b_dog/1.png"), 10, 6, 0x00ff00);
        png(dir.resolve("root/a_cat/2.png"), 6, 10, 0xff0000);
        png(dir.resolve("root/a_cat/1.png"), 8, 8, 0x0000ff);
        Dataset d = ImageFolderReader.read(dir.resolve("root"), 3, 4, 4);
        assertEquals(List.of("a_cat", "b_dog"), d.classNames());
        assertEquals(3, d.size());
        // a_cat/1.png (blue) first, then a_cat/2.png (red), then b_dog/1.png (green)
        assertEquals(0, d.classOf(0));
        assertEquals(255, d.rawImage(0)[32] & 0xff);
        assertEquals(255, d.rawImage(1)[0] & 0xff);
        assertEquals(1, d.classOf(2));
        assertEquals(255, d.rawImage(2)[16] & 0xff);

        Dataset grey = ImageFolderReader.read(dir.resolve("root"), 1, 3, 5);
        assertEquals(Math.round(0.299 * 255), grey.rawImage(1)[7] & 0xff);
    }

    @Test
    void notAnImageIsAClearError() throws IOException {
        Path bad = dir.resolve("root/x/broken.png");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "not a png");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFolderReader.read(dir.resolve("root"), 1, 4, 4));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }

    @Test
    void listFileReadsMultiHotLabels() throws IOException {
        png(dir.resolve("img/a.png"), 4, 4, 0xffffff);
        png(dir.resolve("img/b.png"), 4, 4, 0x000000);
        Path list = dir.resolve("train.txt");
        Files.writeString(list, "img/a.png 1 0 1\n\nimg/b.png 0 1 0\n");
        Dataset d = ListFileReader.read(list, dir, 1, 4, 4);
        assertEquals(2, d.size());
        assertEquals(3, d.classes());
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, d.labels(new int[] {0, 1}));
        assertEquals(255, d.rawImage(0)[5] & 0xff);

        Files.writeString(list, "img/a.png 1 0 1\nimg/b.png 0 1\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ListFileReader.read(list, dir, 1, 4, 4));
        assertTrue(e.getMessage().contains("line 2 has 2 labels but line 1 has 3"), e.getMessage());
        Files.writeString(list, "img/a.png 1 0 2\n");
        e = assertThrows(DatasetFormatException.class, () -> ListFileReader.read(list, dir, 1, 4, 4));
        assertTrue(e.getMessage().contains("line 1, label 3 is '2'"), e.getMessage());
    }
}
