package org.deephash4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-style data in a folder: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each possibly with {@code .gz}.
 * The result is one {@link DataSource}: training images first, then test images, with the two pools marked.
 */
public final class IdxDataset {
    /** Fashion-MNIST's ten classes, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Classpath folder of the embedded Fashion-MNIST subset (README, "Data"). */
    public static final String EMBEDDED_RESOURCE = "/org/deephash4j/data/fashion-mnist-subset/";

    private IdxDataset() {
    }

    /** Reads the four files of {@code dir}; class names are Fashion-MNIST's when {@code fashion}, else digits. */
    public static DataSource load(Path dir, String name, boolean fashion) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder");
        List<String> classes = fashion ? FASHION_MNIST_CLASSES : Dataset.numberedClasses(10);
        Dataset train = read(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"), name + "/train", classes);
        Path testImages = find(dir, "t10k-images-idx3-ubyte");
        Dataset test = read(testImages, find(dir, "t10k-labels-idx1-ubyte"), name + "/test", classes);
        Dataset.checkJoinable(train, test, testImages);
        return combine(train, test, name, dir.toString(), false);
    }

    /** The Fashion-MNIST subset shipped inside the jar (see {@link DataSource#embeddedSubset}). */
    static DataSource loadEmbedded() throws IOException {
        List<String> classes = FASHION_MNIST_CLASSES;
        Dataset train = readResource("train", classes);
        Dataset test = readResource("t10k", classes);
        return combine(train, test, "fashion-mnist-subset", "embedded Fashion-MNIST subset", true);
    }

    /** Reads one image file and its label file into a single-label dataset; counts must agree. */
    public static Dataset read(Path images, Path labels, String name, List<String> classes) throws IOException {
        IdxReader.Images im = IdxReader.readImages(images);
        byte[] lab = IdxReader.readLabels(labels, classes.size());
        return build(im, lab, name, classes, images, labels);
    }

    private static Dataset build(IdxReader.Images im, byte[] lab, String name, List<String> classes, Path images, Path labels)
            throws DatasetFormatException {
        if (lab.length != im.count()) {
            throw new DatasetFormatException(labels, "label count", 4, "holds " + lab.length + " labels but " + images.getFileName()
                    + " holds " + im.count() + " images");
        }
        int[] classIndex = new int[lab.length];
        for (int i = 0; i < lab.length; i++) classIndex[i] = lab[i] & 0xff;
        return Dataset.singleLabel(name, 1, im.rows(), im.cols(), im.pixels(), classIndex, classes);
    }

    private static Dataset readResource(String prefix, List<String> classes) throws IOException {
        String imagesName = EMBEDDED_RESOURCE + prefix + "-images-idx3-ubyte.gz";
        String labelsName = EMBEDDED_RESOURCE + prefix + "-labels-idx1-ubyte.gz";
        Path imagesPath = Path.of("jar:" + imagesName);
        Path labelsPath = Path.of("jar:" + labelsName);
        IdxReader.Images im;
        byte[] lab;
        try (InputStream in = resource(imagesName)) {
            im = IdxReader.readImages(new GZIPInputStream(in), imagesPath);
        }
        try (InputStream in = resource(labelsName)) {
            lab = IdxReader.readLabels(new GZIPInputStream(in), labelsPath, classes.size());
        }
        return build(im, lab, "fashion-mnist-subset/" + prefix, classes, imagesPath, labelsPath);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = IdxDataset.class.getResourceAsStream(name);
        if (in == null) throw new NoSuchFileException(name, null, "embedded data missing from the class path");
        return in;
    }

    private static DataSource combine(Dataset train, Dataset test, String name, String origin, boolean embedded) {
        Dataset all = Dataset.concat(train, test, name);
        return new DataSource(all, Split.range(0, train.size()), Split.range(train.size(), all.size()), origin, embedded);
    }

    private static Path find(Path dir, String base) throws NoSuchFileException {
        Path plain = dir.resolve(base);
        if (Files.exists(plain)) return plain;
        Path gz = dir.resolve(base + ".gz");
        if (Files.exists(gz)) return gz;
        // some mirrors name the files train-images.idx3-ubyte
        Path dotted = dir.resolve(base.replace("-idx", ".idx"));
        if (Files.exists(dotted)) return dotted;
        throw new NoSuchFileException(plain.toString(), null, "missing IDX file (also looked for " + gz.getFileName() + ")");
    }
}
