package org.deephash4j.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.deephash4j.app.data.Cifar10Reader;
import org.deephash4j.app.data.Dataset;
import org.deephash4j.app.data.IdxDataset;
import org.deephash4j.app.data.ImageFolderReader;
import org.deephash4j.app.data.ImageLoader;
import org.deephash4j.app.data.ListFileReader;
import org.deephash4j.app.data.Normalization;
import org.deephash4j.app.data.Split;
import picocli.CommandLine.Option;

/**
 * Where the images come from and how they are split, shared by train, eval and demo.
 * {@code --data} takes a folder of IDX files (MNIST, Fashion-MNIST), of CIFAR-10 binary batches,
 * or of one sub-folder of images per class; list files take {@code --train-list},
 * {@code --query-list} and {@code --database-list}. Without any, the full Fashion-MNIST of the
 * Debian package is used when installed, else the embedded subset.
 */
final class DataOptions {
    @Option(names = "--data", paramLabel = "PATH",
            description = "Data folder: IDX files (MNIST/Fashion-MNIST, .gz or not), CIFAR-10 binary batches, or one sub-folder of images per class. "
                    + "Default: /usr/share/datasets/fashion-mnist if installed, else the embedded Fashion-MNIST subset.")
    Path data;

    @Option(names = "--embedded", description = "Use the embedded Fashion-MNIST subset (3,000 training + 1,000 test images).")
    boolean embedded;

    @Option(names = "--train-list", paramLabel = "FILE", description = "List file of training images ('path l1 .. lC' per line).")
    Path trainList;

    @Option(names = "--query-list", paramLabel = "FILE", description = "List file of query images.")
    Path queryList;

    @Option(names = "--database-list", paramLabel = "FILE", description = "List file of database images.")
    Path databaseList;

    @Option(names = "--image-root", paramLabel = "DIR", description = "Folder that relative paths in list files start from (default: the list file's folder).")
    Path imageRoot;

    @Option(names = "--image-size", paramLabel = "CxHxW", description = "Input size for image folders and lists: 1x28x28 or 3x32x32 (default 3x32x32).")
    String imageSize = "3x32x32";

    @Option(names = "--queries-per-class", paramLabel = "N", description = "Queries per class, drawn from the test set (default 100; embedded subset 50).")
    Integer queriesPerClass;

    @Option(names = "--train-per-class", paramLabel = "N", description = "Training images per class, drawn from the training set (default 500; embedded subset 200).")
    Integer trainPerClass;

    @Option(names = "--train-in-database", negatable = true,
            description = "Keep the training images in the database: every image but the queries (default; the PyTorch "
                    + "reference's protocol). --no-train-in-database leaves them out.")
    Boolean trainInDatabase;

    @Option(names = "--split-seed", paramLabel = "SEED",
            description = "Seed of the query/train/database split (default 0; eval, encode and search: the seed the checkpoint was trained with).")
    Long splitSeed;

    /** The split seed given on the command line, else {@code fallback}. */
    long splitSeed(long fallback) {
        return splitSeed != null ? splitSeed : fallback;
    }

    /** The data set, its split, the normalisation to train with, and a line saying where it came from. */
    record Loaded(Dataset data, Split split, Normalization normalization, String origin) {
    }

    Loaded load() throws IOException {
        return load(0);
    }

    /** Loads the data; the split uses --split-seed, or {@code defaultSeed} when it was not given. */
    Loaded load(long defaultSeed) throws IOException {
        long seed = splitSeed(defaultSeed);
        if (trainList != null || queryList != null || databaseList != null) return loadLists(seed);
        IdxDataset.Source source;
        boolean isEmbedded = false;
        boolean fashion = false;
        if (embedded) {
            source = IdxDataset.loadEmbedded();
            isEmbedded = true;
            fashion = true;
        } else if (data == null) {
            source = IdxDataset.locateDefault(null);
            isEmbedded = source.origin().startsWith("embedded");
            fashion = true;
        } else {
            source = loadFolder(data);
            fashion = source.all().classNames().equals(IdxDataset.FASHION_MNIST_CLASSES);
        }
        int q = queriesPerClass != null ? queriesPerClass : isEmbedded ? 50 : 100;
        int t = trainPerClass != null ? trainPerClass : isEmbedded ? 200 : 500;
        boolean inDb = trainInDatabase == null || trainInDatabase;
        Split split = Split.perClass(source.all(), source.testPool(), source.trainPool(), q, t, seed, inDb);
        Normalization norm = fashion ? Normalization.FASHION_MNIST : Normalization.measure(source.all(), split.train());
        return new Loaded(source.all(), split, norm, source.origin());
    }

    private IdxDataset.Source loadFolder(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such data folder");
        if (Files.exists(dir.resolve("data_batch_1.bin"))) return Cifar10Reader.load(dir);
        if (Files.isDirectory(dir.resolve("cifar-10-batches-bin"))) return Cifar10Reader.load(dir.resolve("cifar-10-batches-bin"));
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(p -> p.getFileName().toString().contains("idx3-ubyte") || p.getFileName().toString().contains("idx1-ubyte"))) {
                // Class names: digits for a folder named like "mnist", Fashion-MNIST's names otherwise.
                String name = dir.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                boolean digits = lower.contains("mnist") && !lower.contains("fashion");
                return IdxDataset.load(dir, name, !digits);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(Files::isDirectory)) {
                int[] size = size();
                Dataset all = ImageFolderReader.read(dir, size[0], size[1], size[2]);
                // An image folder has no test set: queries and training images are drawn from the same pool.
                int[] pool = Split.range(0, all.size());
                return new IdxDataset.Source(all, pool, pool, dir.toString());
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(ImageLoader::isImageFile)) {
                throw new IllegalArgumentException(dir + " holds images but no class sub-folders; training needs one sub-folder per class");
            }
        }
        throw new IllegalArgumentException(dir + ": no IDX files, CIFAR-10 batches or class sub-folders found");
    }

    private Loaded loadLists(long seed) throws IOException {
        if (trainList == null || queryList == null || databaseList == null) {
            throw new IllegalArgumentException("list files come in three: --train-list, --query-list and --database-list");
        }
        int[] size = size();
        Dataset train = ListFileReader.read(trainList, root(trainList), size[0], size[1], size[2]);
        Dataset query = ListFileReader.read(queryList, root(queryList), size[0], size[1], size[2]);
        Dataset database = ListFileReader.read(databaseList, root(databaseList), size[0], size[1], size[2]);
        Dataset all = Dataset.concat(Dataset.concat(train, query, "lists"), database, "lists");
        int a = train.size(), b = a + query.size();
        Split split = new Split(Split.range(a, b), Split.range(0, a), Split.range(b, all.size()), seed);
        return new Loaded(all, split, Normalization.measure(all, split.train()), trainList.toString());
    }

    private Path root(Path list) {
        if (imageRoot != null) return imageRoot;
        Path parent = list.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    int[] size() {
        String[] p = imageSize.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 3) return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--image-size '" + imageSize + "': expected CxHxW such as 1x28x28 or 3x32x32");
    }
}
