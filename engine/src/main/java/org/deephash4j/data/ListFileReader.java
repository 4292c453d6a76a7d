package org.deephash4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the list-file format of the deep-hashing toolkits (thuml/HashNet, DeepHash-pytorch):
 * one line per image, a path then a multi-hot label vector, separated by spaces:
 * <pre>
 * train/cat/0001.jpg 0 0 0 1 0 0 0 0 0 0
 * </pre>
 * A relative path is resolved against {@code imageRoot}. A data set comes as three lists (train,
 * query, database), each read with this class. Every line must carry the same number of labels,
 * each 0 or 1; a bad line is reported with its number.
 */
public final class ListFileReader {
    private ListFileReader() {
    }

    /**
     * The three lists of a toolkit data set as one {@link SplitDataset}: training images first, then
     * queries, then the database, with the normalisation measured on the training images; relative
     * paths start from {@code imageRoot}, or from each list's folder when it is null.
     */
    public static SplitDataset readSplit(Path trainList, Path queryList, Path databaseList, Path imageRoot, int channels,
                                         int height, int width, long seed) throws IOException {
        Dataset train = read(trainList, root(trainList, imageRoot), channels, height, width);
        Dataset query = read(queryList, root(queryList, imageRoot), channels, height, width);
        Dataset database = read(databaseList, root(databaseList, imageRoot), channels, height, width);
        Dataset all = Dataset.concat(Dataset.concat(train, query, "lists"), database, "lists");
        int a = train.size(), b = a + query.size();
        Split split = new Split(Split.range(a, b), Split.range(0, a), Split.range(b, all.size()), seed);
        return new SplitDataset(all, split, Normalization.measure(all, split.train()), trainList.toString());
    }

    private static Path root(Path list, Path imageRoot) {
        if (imageRoot != null) return imageRoot;
        Path parent = list.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** One list file; a relative image path starts from {@code imageRoot}. */
    public static Dataset read(Path listFile, Path imageRoot, int channels, int height, int width) throws IOException {
        if (!Files.exists(listFile)) throw new NoSuchFileException(listFile.toString(), null, "no such list file");
        List<String> lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        int classes = -1;
        List<Path> images = new ArrayList<>();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty()) continue;
            String[] parts = t.split("\\s+");
            if (parts.length < 2) {
                throw new DatasetFormatException(listFile, "line " + lineNo + " has no labels; expected 'path l1 l2 ... lC'");
            }
            int c = parts.length - 1;
            if (classes < 0) {
                classes = c;
            } else if (c != classes) {
                throw new DatasetFormatException(listFile, "line " + lineNo + " has " + c + " labels but line 1 has " + classes);
            }
            for (int k = 1; k < parts.length; k++) {
                if (!parts[k].equals("0") && !parts[k].equals("1")) {
                    throw new DatasetFormatException(listFile, "line " + lineNo + ", label " + k + " is '" + parts[k]
                            + "'; expected 0 or 1");
                }
                labels.write(parts[k].equals("1") ? 1 : 0);
            }
            Path image = Path.of(parts[0]);
            if (!image.isAbsolute()) image = imageRoot.resolve(image);
            images.add(image);
        }
        if (classes < 0) throw new DatasetFormatException(listFile, "holds no images");
        byte[] pixels = PhotoDecoder.decodeAll(images, channels, height, width);   // in parallel, each file into its slot
        return new Dataset(listFile.getFileName().toString(), channels, height, width, pixels,
                labels.toByteArray(), Dataset.numberedClasses(classes));
    }
}
