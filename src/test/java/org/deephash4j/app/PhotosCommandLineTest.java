package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deephash4j.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Photos end to end on the command line (issue 20): a folder of RGB photos of any size trained on
 * resnet18 at a chosen input with a resize margin, augmentation and a frozen first epoch; encoded;
 * searched by a photo with a montage. And the pretrained-weights errors: one line, exit 3 for a
 * file that does not fit, exit 2 for options that do not go together.
 */
class PhotosCommandLineTest {
    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    // Four classes of photos of assorted sizes: a coloured disc of the class's colour on a noisy ground.
    private Path photos() throws IOException {
        Path root = dir.resolve("photos");
        int[] colours = {0xd03030, 0x30a030, 0x3050d0, 0xd0c020};
        Random r = new Random(4);
        for (int c = 0; c < 4; c++) {
            Path folder = Files.createDirectories(root.resolve("class" + c));
            for (int i = 0; i < 10; i++) {
                int w = 60 + r.nextInt(40), h = 50 + r.nextInt(40);
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                int cx = w / 2 + r.nextInt(9) - 4, cy = h / 2 + r.nextInt(9) - 4, rad = Math.min(w, h) / 3;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int ground = 0x40 + r.nextInt(0x20);
                        boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
                        img.setRGB(x, y, in ? colours[c] : ground << 16 | ground << 8 | ground);
                    }
                }
                ImageIO.write(img, "png", folder.resolve("p" + i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void photosTrainEncodeAndSearch() throws IOException {
        Path photos = photos();
        Path ckpt = dir.resolve("photos.safetensors");
        Outcome t = run("train", "--data", photos.toString(), "--model", "resnet18", "--image-size", "3x40x40", "--resize", "48",
                "--augment", "--method", "HashNet", "--bits", "16", "--epochs", "2", "--batch", "10", "--train-per-class", "6",
                "--queries-per-class", "2", "--freeze-epochs", "1", "--backbone-lr-scale", "0.1", "--out", ckpt.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("on resnet18 (input 3x40x40, resize 48)") && t.out().contains("backbone frozen for 1 epochs")
                && t.out().contains("random crops and flips"), t.out());
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals("3x40x40", c.require("input"));
        assertEquals("48", c.require("input.resize"));
        assertEquals("true", c.require("train.augment"));
        assertEquals("false", c.require("input.grey"));

        Path index = dir.resolve("photos.dhi");
        Outcome e = run("encode", "--model", ckpt.toString(), "--images", photos.toString(), "--out", index.toString());
        assertEquals(0, e.code(), e.out() + e.err());
        assertTrue(e.out().startsWith("encoded 40 images"), e.out());

        Path query = photos.resolve("class2").resolve("p3.png");
        Path montage = dir.resolve("montage.png");
        Outcome s = run("search", "--index", index.toString(), "--model", ckpt.toString(), "--image", query.toString(), "-k", "3",
                "--montage", montage.toString());
        assertEquals(0, s.code(), s.out() + s.err());
        // The photo itself at distance 0 (ties go by id), among the photos of its class.
        assertTrue(s.out().lines().anyMatch(l -> l.contains("distance   0") && l.contains("class2/p3.png")), s.out());
        assertEquals(3, s.out().lines().filter(l -> l.contains("distance") && l.contains("/class2/")).count(),
                "the top 3 are of the query's class: " + s.out());
        assertTrue(Files.size(montage) > 0);
    }

    private Path stateDictWithOneTensor(int[] shape) throws IOException {
        int n = 1;
        for (int d : shape) n *= d;
        String header = "{\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":" + java.util.Arrays.toString(shape).replace(" ", "")
                + ",\"data_offsets\":[0," + 4 * n + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("state.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void pretrainedWeightsThatDoNotFitAreOneLineAndExitThree() throws IOException {
        Path p = stateDictWithOneTensor(new int[] {64, 1, 7, 7});
        Outcome o = run("train", "--embedded", "--model", "resnet18", "--image-size", "3x32x32", "--epochs", "1",
                "--pretrained", p.toString(), "--out", dir.resolve("x.safetensors").toString());
        assertEquals(ExitCode.BAD_INPUT, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("deephash: state.safetensors: tensor 'conv1.weight' has shape [64, 1, 7, 7] but resnet18"
                + " expects [64, 3, 7, 7] (and "), o.err());
    }

    @Test
    void optionsThatDoNotGoTogetherAreUsageErrors() throws IOException {
        Path p = stateDictWithOneTensor(new int[] {64, 3, 7, 7});
        Outcome o = run("train", "--embedded", "--pretrained", p.toString());
        assertEquals(ExitCode.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--pretrained needs --model resnet18 or alexnet"), o.err());
        o = run("train", "--embedded", "--model", "resnet18", "--image-size", "3x32x32", "--freeze-epochs", "-1");
        assertEquals(ExitCode.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--freeze-epochs -1"), o.err());
        o = run("train", "--embedded", "--model", "alexnet", "--image-size", "3x32x32");
        assertEquals(ExitCode.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("at least 63x63"), o.err());
    }
}
