package org.deephash4j.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Cifar10Reader;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.IdxReader;
import org.deephash4j.data.ImageFolderReader;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.data.ListFileReader;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.IndexFile;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.search.BinaryCodes;

/**
 * The readers of issue 21 as fuzz targets, each with small valid seeds made here: checkpoints (with the
 * metadata {@link ModelInfo} parses, then loaded as a model), index files, IDX images and labels (plain
 * and gzip), CIFAR-10 batches, list files, image files and image folders.
 */
final class FuzzTargets {
    /** Pixel limit while fuzzing images: a mutant may claim any size up to it, and is allowed the memory. */
    static final long FUZZ_MAX_PIXELS = 1_000_000;

    private FuzzTargets() {
    }

    static List<FuzzTarget> all() throws IOException {
        return List.of(checkpoint(), index(), idxImages(), idxLabels(), cifar(), listFile(), image(), imageFolder());
    }

    static FuzzTarget byName(String name) throws IOException {
        for (FuzzTarget t : all()) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no fuzz target '" + name + "'");
    }

    private static FuzzTarget.Installer file(String name) {
        return (dir, bytes) -> {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            return p;
        };
    }

    private static byte[] bytesOf(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    static FuzzTarget checkpoint() throws IOException {
        Path tmp = Files.createTempDirectory("fuzz-seed");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("model", "lenet");
        meta.put("input", "1x28x28");
        meta.put("method", "DHN");
        meta.put("bits", "12");
        meta.put("normalization.mean", "0.286");
        meta.put("normalization.std", "0.353");
        meta.put("classes", String.join("\t", IdxDataset.FASHION_MNIST_CLASSES));
        meta.put("split.seed", "3");
        Random r = new Random(1);
        List<Checkpoint.Entry> tensors = new ArrayList<>();
        tensors.add(new Checkpoint.Entry("backbone.0.weight", new int[] {2, 1, 2, 2}, floats(8, r)));
        tensors.add(new Checkpoint.Entry("backbone.0.bias", new int[] {2}, floats(2, r)));
        tensors.add(new Checkpoint.Entry("head.hash.weight", new int[] {3, 2}, floats(6, r)));
        Path a = tmp.resolve("a.safetensors");
        new Checkpoint(meta, tensors).write(a);
        tensors.add(new Checkpoint.Entry("state.adam.m.head.hash.weight", new int[] {3, 2}, floats(6, r)));
        meta.put("state.adam.step", "40");
        Path b = tmp.resolve("b.safetensors");
        new Checkpoint(meta, tensors).write(b);
        List<byte[]> seeds = List.of(bytesOf(a), bytesOf(b));
        deleteTree(tmp);
        return new FuzzTarget("checkpoint", seeds, (m, rnd) -> fixHeaderLength(m, rnd), file("model.safetensors"), p -> {
            Checkpoint c = Checkpoint.read(p);
            ModelInfo.of(c, p);
            try (HashingModel model = HashingModel.load(c, p, Backends.cpu(), null)) {
                model.bits();
            }
        }, input -> 0);
    }

    // Most mutants keep a header length that matches their JSON, so the parser sees them.
    private static byte[] fixHeaderLength(byte[] m, Random rnd) {
        if (m.length < 8 || rnd.nextInt(3) == 0) return m;
        int end = m.length;
        for (int i = 8; i < m.length; i++) {
            if (m[i] == '}' && (i + 1 == m.length || m[i + 1] == ' ' || rnd.nextInt(64) == 0)) {
                end = i + 1;
                break;
            }
        }
        ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, end - 8);
        return m;
    }

    static FuzzTarget index() throws IOException {
        Path tmp = Files.createTempDirectory("fuzz-seed");
        Random r = new Random(2);
        List<byte[]> seeds = new ArrayList<>();
        for (int[] shape : new int[][] {{6, 24, 0}, {3, 70, 2}}) {
            long[] words = new long[shape[0] * ((shape[1] + 63) / 64)];
            for (int i = 0; i < words.length; i++) words[i] = r.nextLong();
            int bits = shape[1];
            long[] ids = new long[shape[0]];
            for (int i = 0; i < ids.length; i++) ids[i] = 100 + 3L * i;
            BinaryCodes codes = BinaryCodes.fromWords(bits, maskPadding(words, shape[0], bits), ids);
            Path p = tmp.resolve("i" + bits + ".dhi");
            new IndexFile(codes, floats(shape[0] * shape[2], r), shape[2]).write(p);
            seeds.add(bytesOf(p));
        }
        deleteTree(tmp);
        return new FuzzTarget("index", seeds, (m, rnd) -> m, file("codes.dhi"), IndexFile::read, input -> 0);
    }

    private static long[] maskPadding(long[] words, int n, int bits) {
        int w = (bits + 63) / 64;
        int tail = bits % 64;
        if (tail != 0) for (int i = 0; i < n; i++) words[i * w + w - 1] &= -1L << (64 - tail);
        return words;
    }

    static FuzzTarget idxImages() {
        byte[] small = idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, pixels(60));
        byte[] mnist = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 28, 28}, pixels(2 * 784));
        return new FuzzTarget("idx-images", List.of(small, mnist), FuzzTargets::maybeGzip, file("train-images-idx3-ubyte"),
                IdxReader::readImages, input -> 0);
    }

    static FuzzTarget idxLabels() {
        byte[] labels = idx(IdxReader.LABELS_MAGIC, new int[] {12}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1});
        return new FuzzTarget("idx-labels", List.of(labels), FuzzTargets::maybeGzip, file("train-labels-idx1-ubyte"),
                p -> IdxReader.readLabels(p, 10), input -> 0);
    }

    // Half the mutants are gzipped (the reader then works on inflated bytes); some of those are cut or flipped.
    private static byte[] maybeGzip(byte[] m, Random rnd) throws IOException {
        if (rnd.nextBoolean()) return m;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(m);
        }
        byte[] gz = b.toByteArray();
        switch (rnd.nextInt(4)) {
            case 0 -> gz = java.util.Arrays.copyOf(gz, rnd.nextInt(gz.length));
            case 1 -> gz[rnd.nextInt(gz.length)] ^= (byte) (1 << rnd.nextInt(8));
            default -> { }
        }
        return gz;
    }

    static FuzzTarget cifar() {
        byte[] batch = new byte[3 * Cifar10Reader.RECORD];
        for (int i = 0; i < 3; i++) {
            batch[i * Cifar10Reader.RECORD] = (byte) (i * 3);
            for (int k = 1; k < Cifar10Reader.RECORD; k++) batch[i * Cifar10Reader.RECORD + k] = (byte) (k * (i + 1));
        }
        return new FuzzTarget("cifar", List.of(batch), (m, rnd) -> m, file("data_batch_1.bin"), Cifar10Reader::readBatch, input -> 0);
    }

    static FuzzTarget listFile() {
        byte[] list = ("a.png 1 0 0\nsub/b.png 0 1 0\n\na.png 0 0 1\n").getBytes(StandardCharsets.UTF_8);
        byte[] multi = ("a.png 1 1 0 1\nsub/b.png 0 1 1 0\n").getBytes(StandardCharsets.UTF_8);
        return new FuzzTarget("list-file", List.of(list, multi), (m, rnd) -> m, (dir, bytes) -> {
            Files.write(dir.resolve("a.png"), png(5, 7, 1));
            Files.createDirectories(dir.resolve("sub"));
            Files.write(dir.resolve("sub/b.png"), png(9, 4, 2));
            Path p = dir.resolve("train.txt");
            Files.write(p, bytes);
            return p;
        }, p -> ListFileReader.read(p, p.getParent(), 3, 8, 8),
                input -> imageAllowance() + entries(input) * PER_IMAGE_DECODE);
    }

    static FuzzTarget image() throws IOException {
        List<byte[]> seeds = List.of(png(6, 5, 3), encode(6, 5, "bmp"), encode(7, 3, "gif"), encode(8, 8, "jpeg"));
        return new FuzzTarget("image", seeds, (m, rnd) -> m, file("photo.png"), p -> ImageLoader.load(p, 3, 8, 8),
                input -> imageAllowance());
    }

    static FuzzTarget imageFolder() throws IOException {
        return new FuzzTarget("image-folder", List.of(png(6, 5, 4), encode(5, 5, "gif")), (m, rnd) -> m, (dir, bytes) -> {
            Path root = dir.resolve("photos");
            Files.createDirectories(root.resolve("cat"));
            Files.createDirectories(root.resolve("dog"));
            Files.write(root.resolve("cat/1.png"), bytes);
            Files.write(root.resolve("dog/2.png"), png(4, 4, 5));
            return root;
        }, p -> ImageFolderReader.read(p, 1, 8, 8), input -> imageAllowance());
    }

    // Every entry of a list file is an image to decode, and the decoders allocate per image: ImageIO's reader
    // state, the raster and the scaled copy (about 36 KB for the seed images, measured). A list naming one small
    // image 900 times costs 900 decodes, in proportion to the entries, not to the list's bytes.
    static final long PER_IMAGE_DECODE = 256 << 10;

    /** The lines of a list file that hold more than white space: the images it names. */
    static long entries(byte[] list) {
        long entries = 0;
        boolean text = false;
        for (byte b : list) {
            if (b == '\n') {
                if (text) entries++;
                text = false;
            } else if (b > ' ') {
                text = true;
            }
        }
        return text ? entries + 1 : entries;
    }

    // A mutant may claim any image up to the fuzz pixel limit and the decoder may allocate its raster:
    // 4 bytes a pixel, twice (the decoded image, then the scaled copy), is the documented cap's cost.
    private static long imageAllowance() {
        return 16 * FUZZ_MAX_PIXELS;
    }

    static byte[] png(int w, int h, int seed) {
        try {
            return encode(w, h, "png", seed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encode(int w, int h, String format) throws IOException {
        return encode(w, h, format, w * 31 + h);
    }

    private static byte[] encode(int w, int h, String format, int seed) throws IOException {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, r.nextInt(1 << 24));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (!ImageIO.write(im, format, b)) throw new IOException("no ImageIO writer for " + format);
        return b.toByteArray();
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) p[i] = (byte) (i * 13);
        return p;
    }

    private static float[] floats(int n, Random r) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
