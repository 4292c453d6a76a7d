package org.deephash4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.deephash4j.io.InputFiles;

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
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

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
        Dataset.checkJoinable(train, query, queryList);
        Dataset trainAndQuery = Dataset.concat(train, query, "lists");
        Dataset.checkJoinable(trainAndQuery, database, databaseList);
        Dataset all = Dataset.concat(trainAndQuery, database, "lists");
        int a = train.size(), b = a + query.size();
        Split split = new Split(Split.range(a, b), Split.range(0, a), Split.range(b, all.size()), seed);
        return new SplitDataset(all, split, Normalization.measure(all, split.train()), trainList.toString());
    }

    private static Path root(Path list, Path imageRoot) {
        if (imageRoot != null) return imageRoot;
        Path parent = list.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * One list file; a relative image path starts from {@code imageRoot}. The file is read as a stream of
     * lines of at most {@value #MAX_LINE} bytes of UTF-8, so a file without line breaks costs no more than
     * one line; pixels are collected as the images are decoded.
     */
    public static Dataset read(Path listFile, Path imageRoot, int channels, int height, int width) throws IOException {
        InputFiles.requireRegularFile(listFile, "list file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(listFile), 1 << 16)) {
            return read(in, listFile, imageRoot, channels, height, width);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(listFile, e);
        }
    }

    private static Dataset read(InputStream in, Path listFile, Path imageRoot, int channels, int height, int width)
            throws IOException {
        int classes = -1;
        List<Path> images = new ArrayList<>();
        GrowingBytes labels = new GrowingBytes(GrowingBytes.MAX_ARRAY, 0);
        Lines lines = new Lines(in, listFile);
        String line;
        while ((line = lines.next()) != null) {
            int lineNo = lines.number();
            long at = lines.offset();
            String t = line.strip();
            if (t.isEmpty()) continue;
            String[] parts = WHITESPACE.split(t);
            if (parts.length < 2) {
                throw new DatasetFormatException(listFile, "line " + lineNo, at, "line " + lineNo
                        + " has no labels; expected 'path l1 l2 ... lC'");
            }
            int c = parts.length - 1;
            if (classes < 0) {
                classes = c;
            } else if (c != classes) {
                throw new DatasetFormatException(listFile, "line " + lineNo, at, "line " + lineNo + " has " + c
                        + " labels but line 1 has " + classes);
            }
            byte[] row = new byte[c];
            for (int k = 1; k < parts.length; k++) {
                if (!parts[k].equals("0") && !parts[k].equals("1")) {
                    throw new DatasetFormatException(listFile, "line " + lineNo, at, "line " + lineNo + ", label " + k + " is '"
                            + parts[k] + "'; expected 0 or 1");
                }
                row[k - 1] = (byte) (parts[k].equals("1") ? 1 : 0);
            }
            Path image;
            try {
                image = Path.of(parts[0]);
            } catch (InvalidPathException e) {
                throw new DatasetFormatException(listFile, "line " + lineNo, at, "line " + lineNo + ": '" + parts[0]
                        + "' is not a path (" + e.getReason() + ")");
            }
            if (!image.isAbsolute()) image = imageRoot.resolve(image);
            images.add(image);
            labels.write(row, 0, row.length);
        }
        if (classes < 0) throw new DatasetFormatException(listFile, "file", 0, "holds no images");
        byte[] pixels = PhotoDecoder.decodeAll(images, channels, height, width);   // in parallel, each file into its slot
        return new Dataset(listFile.getFileName().toString(), channels, height, width, pixels,
                labels.toArray(), Dataset.numberedClasses(classes));
    }

    /** Longest line read, in bytes: a path and a few thousand labels fit many times over. */
    public static final int MAX_LINE = 1 << 16;

    /**
     * Lines of a UTF-8 stream, each at most {@link #MAX_LINE} bytes, with their number and byte offset. A blank
     * line costs no allocation and a line is decoded into one reused buffer, so a file of a million empty lines
     * costs no more memory than one line (the fuzzer's rule: memory in proportion to the bytes read).
     */
    private static final class Lines {
        private final InputStream in;
        private final Path path;
        private final byte[] buffer = new byte[MAX_LINE];
        private final ByteBuffer bytes = ByteBuffer.wrap(buffer);
        private final CharBuffer chars = CharBuffer.allocate(MAX_LINE); // UTF-8 never decodes to more chars than bytes
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private int number;
        private long offset;      // byte offset of the line last returned
        private long next;        // byte offset of the line to come

        Lines(InputStream in, Path path) {
            this.in = in;
            this.path = path;
        }

        int number() {
            return number;
        }

        long offset() {
            return offset;
        }

        /** The next line without its line break, or null at the end. */
        String next() throws IOException {
            int n = 0;
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == MAX_LINE) {
                    throw new DatasetFormatException(path, "line " + (number + 1), next, "line " + (number + 1)
                            + " is longer than " + MAX_LINE + " bytes; is this a list file ('path l1 l2 ... lC' per line)?");
                }
                buffer[n++] = (byte) b;
            }
            if (b < 0 && n == 0) return null;
            number++;
            offset = next;
            next += n + (b < 0 ? 0 : 1);
            if (blank(n)) return "";
            bytes.clear().limit(n);
            chars.clear();
            utf8.reset();
            CoderResult result = utf8.decode(bytes, chars, true);
            if (!result.isError()) result = utf8.flush(chars);
            if (result.isError()) {
                throw new DatasetFormatException(path, "line " + number, offset, "line " + number + " is not UTF-8 text");
            }
            return chars.flip().toString();
        }

        /** Whether the first {@code n} bytes are all ASCII white space (what {@link String#strip()} would remove). */
        private boolean blank(int n) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B && !(b >= 0x1C && b <= 0x1F)) return false;
            }
            return true;
        }
    }
}
