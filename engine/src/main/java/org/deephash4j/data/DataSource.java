package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A labelled image collection with its two pools marked, ready to be split (METHODS.md §6.7): the
 * training pool (training images are drawn from it) and the test pool (queries are drawn from it).
 * MNIST-style IDX folders and CIFAR-10 batches have a training set and a test set; a folder of
 * class sub-folders has one pool for both.
 *
 * <pre>
 * DataSource source = DataSource.fashionMnistOrEmbedded();           // full Fashion-MNIST if installed, else the embedded subset
 * SplitDataset d = source.split(100, 500, 0, true);                  // 100 queries and 500 training images per class, seed 0
 * </pre>
 *
 * @param all       every image, training set first
 * @param trainPool indices into {@code all} that training images are drawn from
 * @param testPool  indices into {@code all} that queries are drawn from
 * @param origin    where the data came from, for messages and reports
 * @param embedded  true for the small Fashion-MNIST subset shipped in the engine jar
 */
public record DataSource(Dataset all, int[] trainPool, int[] testPool, String origin, boolean embedded) {
    /** Where the Debian package dataset-fashion-mnist installs the full set. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    public DataSource {
        trainPool = trainPool.clone();
        testPool = testPool.clone();
    }

    /** The Fashion-MNIST subset shipped in the engine jar (3,000 training and 1,000 test images, balanced by class). */
    public static DataSource embeddedSubset() throws IOException {
        return IdxDataset.loadEmbedded();
    }

    /** The full Fashion-MNIST of the Debian package when it is installed, else the embedded subset. */
    public static DataSource fashionMnistOrEmbedded() throws IOException {
        if (Files.exists(DEBIAN_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))
                || Files.exists(DEBIAN_FASHION_MNIST.resolve("train-images-idx3-ubyte"))) {
            return IdxDataset.load(DEBIAN_FASHION_MNIST, "fashion-mnist", true);
        }
        return embeddedSubset();
    }

    /**
     * The data in {@code dir}, recognised by what it holds: CIFAR-10 binary batches
     * ({@code data_batch_1.bin}, or a {@code cifar-10-batches-bin} sub-folder), MNIST-style IDX files
     * (Fashion-MNIST's class names unless the folder is named like "mnist"), or one sub-folder of
     * images per class, decoded to {@code channels x height x width}.
     */
    public static DataSource open(Path dir, int channels, int height, int width) throws IOException {
        if (!Files.exists(dir)) throw new NoSuchFileException(dir.toString(), null, "no such data folder");
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a folder; data comes as a folder of files");
        if (Files.exists(dir.resolve("data_batch_1.bin"))) return Cifar10Reader.load(dir);
        if (Files.isDirectory(dir.resolve("cifar-10-batches-bin"))) return Cifar10Reader.load(dir.resolve("cifar-10-batches-bin"));
        if (anyMatch(dir, p -> p.getFileName().toString().contains("idx3-ubyte") || p.getFileName().toString().contains("idx1-ubyte"))) {
            String name = dir.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            boolean digits = lower.contains("mnist") && !lower.contains("fashion");
            return IdxDataset.load(dir, name, !digits);
        }
        if (anyMatch(dir, Files::isDirectory)) {
            Dataset all = ImageFolderReader.read(dir, channels, height, width);
            // An image folder has no test set: queries and training images are drawn from the same pool.
            int[] pool = Split.range(0, all.size());
            return new DataSource(all, pool, pool, dir.toString(), false);
        }
        if (anyMatch(dir, ImageLoader::isImageFile)) {
            throw new IllegalArgumentException(dir + " holds images but no class sub-folders; training needs one sub-folder per class");
        }
        throw new IllegalArgumentException(dir + ": no IDX files, CIFAR-10 batches or class sub-folders found");
    }

    private static boolean anyMatch(Path dir, java.util.function.Predicate<Path> test) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(test);
        }
    }

    /** True when the images are Fashion-MNIST's (by class names), whose normalisation is a published constant. */
    public boolean isFashionMnist() {
        return all.classNames().equals(IdxDataset.FASHION_MNIST_CLASSES);
    }

    /** The protocol's queries per class: 100, or 50 on the embedded subset. */
    public int defaultQueriesPerClass() {
        return embedded ? 50 : 100;
    }

    /** The protocol's training images per class: 500, or 200 on the embedded subset. */
    public int defaultTrainPerClass() {
        return embedded ? 200 : 500;
    }

    /**
     * The standard split ({@link Split#perClass}) and the input normalisation to train with:
     * Fashion-MNIST's constants, else the per-channel statistics of the training images.
     */
    public SplitDataset split(int queriesPerClass, int trainPerClass, long seed, boolean trainInDatabase) {
        Split split = Split.perClass(all, testPool, trainPool, queriesPerClass, trainPerClass, seed, trainInDatabase);
        Normalization norm = isFashionMnist() ? Normalization.FASHION_MNIST : Normalization.measure(all, split.train());
        return new SplitDataset(all, split, norm, origin);
    }
}
