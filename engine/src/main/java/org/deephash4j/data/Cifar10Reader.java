package org.deephash4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deephash4j.io.InputFiles;

/**
 * Reads CIFAR-10 binary batches ({@code cifar-10-batches-bin}): each record is 3,073 bytes, one
 * label byte (0..9) then 3,072 pixel bytes, the red plane, the green plane and the blue plane of a
 * 32x32 image, row-major, which is exactly [C, H, W]. Five training batches
 * ({@code data_batch_1.bin} .. {@code data_batch_5.bin}) and {@code test_batch.bin}.
 */
public final class Cifar10Reader {
    public static final int RECORD = 1 + 3 * 32 * 32;
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private Cifar10Reader() {
    }

    /**
     * Reads one batch file, record by record: its length is checked first (a whole number of records, at
     * most {@link GrowingBytes#MAX_ARRAY} pixel bytes), and pixels are collected as they arrive, so memory
     * follows the bytes read, never the length a file claims.
     */
    public static Dataset readBatch(Path path) throws IOException {
        long length = InputFiles.requireRegularFile(path, "CIFAR-10 batch file");
        if (length == 0 || length % RECORD != 0) {
            long whole = length / RECORD;
            throw new DatasetFormatException(path, "record " + whole, whole * RECORD, "length " + length
                    + " is not a whole number of " + RECORD + "-byte CIFAR-10 records (truncated at byte "
                    + (whole * RECORD) + ", record " + whole + ")");
        }
        long records = length / RECORD;
        int imageSize = RECORD - 1;
        if (records * imageSize > GrowingBytes.MAX_ARRAY) {
            throw new DatasetFormatException(path, "file", 0, records + " records of " + imageSize + " pixel bytes are more"
                    + " than one data set holds (" + GrowingBytes.MAX_ARRAY + " bytes, the largest Java array)");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            GrowingBytes pixels = new GrowingBytes(records * imageSize, 0);
            int[] classIndex = new int[(int) Math.min(records, 1 << 16)];
            int n = 0;
            for (long i = 0; i < records; i++) {
                long at = i * RECORD;
                int label = in.read();
                if (label < 0 || pixels.readFrom(in, imageSize) < imageSize) {
                    // the file shrank while it was read
                    throw new DatasetFormatException(path, "record " + i, at, "truncated at record " + i + " of " + records);
                }
                if (label >= CLASSES.size()) {
                    throw new DatasetFormatException(path, "label", at, "label " + label + " at byte " + at + " (record " + i
                            + ") is out of range; expected 0..9 (is this a CIFAR-100 file?)");
                }
                if (n == classIndex.length) classIndex = Arrays.copyOf(classIndex, (int) Math.min(records, 2L * n));
                classIndex[n++] = label;
            }
            return Dataset.singleLabel(path.getFileName().toString(), 3, 32, 32, pixels.toArray(), classIndex, CLASSES);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
    }

    /** The whole set from a {@code cifar-10-batches-bin} folder: 50,000 training then 10,000 test images. */
    public static DataSource load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder");
        List<Dataset> parts = new ArrayList<>();
        for (int b = 1; b <= 5; b++) parts.add(readBatch(dir.resolve("data_batch_" + b + ".bin")));
        Dataset train = parts.getFirst();
        for (int b = 1; b < parts.size(); b++) {
            Dataset.checkJoinable(train, parts.get(b), dir.resolve("data_batch_" + (b + 1) + ".bin"));
            train = Dataset.concat(train, parts.get(b), "cifar-10/train");
        }
        Dataset test = readBatch(dir.resolve("test_batch.bin"));
        Dataset.checkJoinable(train, test, dir.resolve("test_batch.bin"));
        Dataset all = Dataset.concat(train, test, "cifar-10");
        return new DataSource(all, Split.range(0, train.size()), Split.range(train.size(), all.size()), dir.toString(), false);
    }
}
