package org.deephash4j.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.io.AtomicFile;

/**
 * The side file of a code index, {@code <index>.sources.tsv}: one line per code, {@code id},
 * {@code source} and {@code label} separated by tabs. A source is an image file path, or
 * {@code data:<i>} for image i of the data set the index was encoded from.
 */
final class IndexSources {
    record Source(long id, String source, String label) {
    }

    private IndexSources() {
    }

    static Path pathFor(Path index) {
        return index.resolveSibling(index.getFileName() + ".sources.tsv");
    }

    static void write(Path index, List<Source> sources) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Source s : sources) b.append(s.id()).append('\t').append(s.source()).append('\t').append(s.label()).append('\n');
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(pathFor(index), out -> out.write(bytes));
    }

    /** The sources by id, or an empty map when there is no side file. */
    static Map<Long, Source> read(Path index) throws IOException {
        Map<Long, Source> out = new HashMap<>();
        Path p = pathFor(index);
        if (!Files.exists(p)) return out;
        int lineNo = 0;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            try {
                out.put(Long.parseLong(f[0]), new Source(Long.parseLong(f[0]), f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : ""));
            } catch (NumberFormatException e) {
                throw new IOException(p.getFileName() + ": line " + lineNo + ": '" + f[0] + "' is not an id");
            }
        }
        return out;
    }
}
