package org.deephash4j.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.deephash4j.data.DataSource;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.ListFileReader;
import org.deephash4j.data.SplitDataset;
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

    @Option(names = "--image-size", paramLabel = "CxHxW", description = "Model input size: 1x28x28 (lenet) or 3x32x32 (cifarnet) for image "
            + "folders and lists (default 3x32x32); any 3xHxW for resnet18 and alexnet (default 3x224x224), e.g. 3x64x64 for Fashion-MNIST "
            + "(grey replicated, upsampled).")
    String imageSize;

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

    SplitDataset load() throws IOException {
        return load(0);
    }

    /** Loads the data; the split uses --split-seed, or {@code defaultSeed} when it was not given. */
    SplitDataset load(long defaultSeed) throws IOException {
        return load(defaultSeed, null);
    }

    /**
     * Loads the data; images from files (folders, lists) are decoded to {@code decode} (a model's
     * {@code Preprocessing.decodeShape()}), or to --image-size when it is null.
     */
    SplitDataset load(long defaultSeed, InputShape decode) throws IOException {
        long seed = splitSeed(defaultSeed);
        if (trainList != null || queryList != null || databaseList != null) {
            if (trainList == null || queryList == null || databaseList == null) {
                throw new IllegalArgumentException("list files come in three: --train-list, --query-list and --database-list");
            }
            int[] size = decode != null ? new int[] {decode.channels(), decode.height(), decode.width()} : size();
            return ListFileReader.readSplit(trainList, queryList, databaseList, imageRoot, size[0], size[1], size[2], seed);
        }
        DataSource source;
        if (embedded) {
            source = DataSource.embeddedSubset();
        } else if (data == null) {
            source = DataSource.fashionMnistOrEmbedded();
        } else {
            int[] size = decode != null ? new int[] {decode.channels(), decode.height(), decode.width()} : size();
            source = DataSource.open(data, size[0], size[1], size[2]);
        }
        int q = queriesPerClass != null ? queriesPerClass : source.defaultQueriesPerClass();
        int t = trainPerClass != null ? trainPerClass : source.defaultTrainPerClass();
        return source.split(q, t, seed, trainInDatabase == null || trainInDatabase);
    }

    /** --image-size, or null when it was not given. */
    InputShape imageSize() {
        return imageSize == null ? null : InputShape.parse(imageSize, "--image-size");
    }

    int[] size() {
        String text = imageSize == null ? "3x32x32" : imageSize;
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 3) return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--image-size '" + text + "': expected CxHxW such as 1x28x28 or 3x32x32");
    }
}
