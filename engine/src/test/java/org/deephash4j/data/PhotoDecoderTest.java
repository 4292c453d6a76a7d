package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deephash4j.io.FormatException;
import org.deephash4j.testing.HostileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Photos decoded in parallel into bytes: the same bytes as one at a time, bounded, and one byte per channel per pixel kept. */
class PhotoDecoderTest {
    @TempDir
    Path dir;

    private static Path photo(Path dir, String name, int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        int cx = r.nextInt(w), cy = r.nextInt(h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (int) (127 + 127 * Math.sin((x - cx) * 0.05) * Math.cos((y - cy) * 0.07));
                img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | ((x * 255 / w) & 0xff));
            }
        }
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void aSmallPhotoGivesImageLoadersBytes() throws IOException {
        Path p = photo(dir, "small.png", 40, 30, 1);
        assertArrayEquals(ImageLoader.load(p, 3, 24, 24), PhotoDecoder.decode(p, 3, 24, 24));
        assertArrayEquals(ImageLoader.load(p, 1, 28, 28), PhotoDecoder.decode(p, 1, 28, 28));
    }

    @Test
    void parallelDecodingGivesTheBytesOfOneAtATime() throws IOException {
        // 13 photos: more than one chunk (CHUNK_PER_THREAD photos a thread) on any machine
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 13; i++) files.add(photo(dir, "p" + i + ".png", 50 + 7 * i, 90 - 3 * i, i));
        byte[] all = PhotoDecoder.decodeAll(files, 3, 32, 32);
        assertEquals(13 * 3 * 32 * 32, all.length);
        for (int i = 0; i < files.size(); i++) {
            byte[] one = PhotoDecoder.decode(files.get(i), 3, 32, 32);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(all, i * one.length, (i + 1) * one.length), "photo " + i);
        }
    }

    @Test
    void aFolderOfFilesThatAreNotImagesFailsBeforeTheirPixelsAreAllocated() throws IOException {
        // 400 one-byte ".png" files at 3 x 224 x 224: laid out ahead of decoding, their slots were 60 MB
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Path p = dir.resolve(String.format("junk/%03d.png", i));
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
            files.add(p);
        }
        HostileFiles.Cost cost = HostileFiles.measure(() -> PhotoDecoder.decodeAll(files, 3, 224, 224));
        FormatException e = assertInstanceOf(FormatException.class, cost.thrown(), String.valueOf(cost.thrown()));
        assertEquals(files.get(0), e.path());
        HostileFiles.assertAllocatedAtMost(8L << 20, cost, "400 junk files");
    }

    @Test
    void aLargePhotoIsReducedWithoutAliasing() throws IOException {
        // 2,000 x 1,500 stripes of period 4 pixels: their mean is mid-grey; one bilinear step to 32 x 32 samples a few stripes
        // and lands anywhere between black and white, the subsampled-and-halved path stays near the mean.
        BufferedImage img = new BufferedImage(2000, 1500, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1500; y++) for (int x = 0; x < 2000; x++) img.setRGB(x, y, (x / 2) % 2 == 0 ? 0xffffff : 0);
        Path p = dir.resolve("stripes.png");
        ImageIO.write(img, "png", p.toFile());
        byte[] px = PhotoDecoder.decode(p, 1, 32, 32);
        double sum = 0;
        for (byte b : px) sum += b & 0xff;
        assertEquals(127.5, sum / px.length, 40, "mean grey of a reduced stripe pattern");
    }

    @Test
    void aPhotoOverThePixelLimitIsRefusedBeforeDecoding() throws IOException {
        Path p = photo(dir, "big.png", 300, 200, 3);
        System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, "50000");
        try {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PhotoDecoder.decode(p, 3, 32, 32));
            assertTrue(e.getMessage().contains("image of 300 x 200 pixels; at most 50000 pixels are decoded"), e.getMessage());
        } finally {
            System.clearProperty(ImageLoader.MAX_PIXELS_PROPERTY);
        }
    }

    @Test
    void onlyRegularFilesAreOpened() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("a.png"));
        FormatException e = assertThrows(FormatException.class, () -> PhotoDecoder.decode(folder, 3, 8, 8));
        assertTrue(e.getMessage().contains("is a folder; expected a image file"), e.getMessage());
    }

    @Test
    void aFolderOfPhotosIsKeptAsOneBytePerChannelPerPixel() throws IOException {
        // 5,000 photos at 224 x 224 must fit well under 1 GB: 150,528 bytes each (753 MB), where floats would take 3 GB.
        // Decode 60 photos of 320 x 240 at 3 x 224 x 224 and measure the heap the data set keeps.
        for (int i = 0; i < 60; i++) photo(dir, "set/" + (i % 2 == 0 ? "a" : "b") + "/p" + i + ".png", 320, 240, i);
        photo(dir, "warm/a/w.png", 320, 240, 99);
        ImageFolderReader.read(dir.resolve("warm"), 3, 224, 224);          // loads the decoder classes before measuring
        Runtime rt = Runtime.getRuntime();
        long before = used(rt);
        Dataset d = ImageFolderReader.read(dir.resolve("set"), 3, 224, 224);
        long after = used(rt);
        long kept = after - before;
        assertEquals(60, d.size());
        assertEquals(150_528, d.imageSize());
        // G1 keeps a large array in whole heap regions (2 MB here), so allow 4 MB of slack; a float copy would add 36 MB.
        assertTrue(kept < 60L * 150_528 + (4 << 20), "heap kept by 60 photos at 3 x 224 x 224: " + kept + " bytes, the bytes are "
                + 60L * 150_528);
        assertEquals(60, d.size(), "keep the data set reachable until after the measurement");
    }

    private static long used(Runtime rt) {
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
