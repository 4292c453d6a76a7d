package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** Reads one batch file. */
    public static Dataset readBatch(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file");
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length == 0 || bytes.length % RECORD != 0) {
            long whole = bytes.length / RECORD;
            throw new DatasetFormatException(path, "length " + bytes.length + " is not a whole number of " + RECORD
                    + "-byte CIFAR-10 records (truncated at byte " + (whole * RECORD) + ", record " + whole + ")");
        }
        int n = bytes.length / RECORD;
        int imageSize = RECORD - 1;
        byte[] pixels = new byte[n * imageSize];
        int[] classIndex = new int[n];
        for (int i = 0; i < n; i++) {
            int label = bytes[i * RECORD] & 0xff;
            if (label >= CLASSES.size()) {
                throw new DatasetFormatException(path, "label " + label + " at byte " + ((long) i * RECORD) + " (record " + i
                        + ") is out of range; expected 0..9 (is this a CIFAR-100 file?)");
            }
            classIndex[i] = label;
            System.arraycopy(bytes, i * RECORD + 1, pixels, i * imageSize, imageSize);
        }
        return Dataset.singleLabel(path.getFileName().toString(), 3, 32, 32, pixels, classIndex, CLASSES);
    }

    /** The whole set from a {@code cifar-10-batches-bin} folder: 50,000 training then 10,000 test images. */
    public static DataSource load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder");
        List<Dataset> parts = new ArrayList<>();
        for (int b = 1; b <= 5; b++) parts.add(readBatch(dir.resolve("data_batch_" + b + ".bin")));
        Dataset train = parts.getFirst();
        for (int b = 1; b < parts.size(); b++) train = Dataset.concat(train, parts.get(b), "cifar-10/train");
        Dataset test = readBatch(dir.resolve("test_batch.bin"));
        Dataset all = Dataset.concat(train, test, "cifar-10");
        return new DataSource(all, Split.range(0, train.size()), Split.range(train.size(), all.size()), dir.toString(), false);
    }
}
