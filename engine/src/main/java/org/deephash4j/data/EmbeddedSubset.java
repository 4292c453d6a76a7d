package org.deephash4j.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the embedded Fashion-MNIST subset shipped in the jar: {@value #TRAIN_PER_CLASS} images per
 * class drawn from the training set and {@value #TEST_PER_CLASS} per class from the test set,
 * with seed {@value #SEED}, written as gzipped IDX files (in dataset order). Regenerate with
 * <pre>
 * ./deephash make-embedded-subset /usr/share/datasets/fashion-mnist engine/src/main/resources/org/deephash4j/data/fashion-mnist-subset
 * </pre>
 * (or run this class's {@code main} with the same two arguments). The output is byte-for-byte
 * reproducible: the draw is seeded and Java's gzip header carries no time stamp.
 */
public final class EmbeddedSubset {
    public static final int TRAIN_PER_CLASS = 300;
    public static final int TEST_PER_CLASS = 100;
    public static final long SEED = 20171;

    private EmbeddedSubset() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedSubset <fashion-mnist folder> <output folder>");
            System.exit(2);
        }
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /** Reads the full set from {@code source} and writes the four subset files into {@code out}. */
    public static void write(Path source, Path out) throws IOException {
        DataSource full = IdxDataset.load(source, "fashion-mnist", true);
        // The test pool gives the test part, the training pool the training part (queries 0 per class).
        Split split = Split.perClass(full.all(), full.testPool(), full.trainPool(), TEST_PER_CLASS, TRAIN_PER_CLASS, SEED, false);
        Files.createDirectories(out);
        writePart(full.all(), split.train(), out, "train");
        writePart(full.all(), split.query(), out, "t10k");
    }

    private static void writePart(Dataset all, int[] indices, Path out, String prefix) throws IOException {
        Dataset part = all.subset(indices, prefix);
        try (DataOutputStream d = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(out.resolve(prefix + "-images-idx3-ubyte.gz"))))) {
            d.writeInt(IdxReader.IMAGES_MAGIC);
            d.writeInt(part.size());
            d.writeInt(part.height());
            d.writeInt(part.width());
            for (int i = 0; i < part.size(); i++) d.write(part.rawImage(i));
        }
        try (DataOutputStream d = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(out.resolve(prefix + "-labels-idx1-ubyte.gz"))))) {
            d.writeInt(IdxReader.LABELS_MAGIC);
            d.writeInt(part.size());
            for (int i = 0; i < part.size(); i++) d.write(part.classOf(i));
        }
    }
}
