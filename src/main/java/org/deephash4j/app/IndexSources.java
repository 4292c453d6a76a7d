package org.deephash4j.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.index.IndexSnapshot;

/**
 * Where each code of an index came from, as the command line keeps it: the image's source (an image file path, or
 * {@code data:<i>} for image i of a data set), its class name, and for {@code data:<i>} the identity of that data
 * set ({@link DatasetIdentity}), so that a montage never draws image i of another data set.
 *
 * <p>In an index folder this is the segment's source string of each code (written in the same atomic change as the
 * codes): the three fields separated by tabs. A version-1 index file keeps it in the side file
 * {@code <index>.sources.tsv} ({@code id, source, label} per line, no data set identity), which is still read.
 */
final class IndexSources {
    /** Longest legacy side file read (a 100-million-line file is 4 GB; the side file of a v1 index is far less). */
    private static final long MAX_LEGACY_BYTES = 1L << 31;

    /**
     * @param dataset the data set identity of a {@code data:<i>} source, "" for an image file or where unknown
     *                (version-1 side files)
     */
    record Source(long id, String source, String label, String dataset) {
        boolean fromDataset() {
            return source.startsWith("data:");
        }

        /** Image i of {@code data:<i>}, or -1 when the number is not one. */
        int datasetIndex() {
            try {
                return Integer.parseInt(source.substring(5));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /** Sources by id: the segments' for an index folder, the side file's for a version-1 file. */
    interface Lookup {
        Optional<Source> get(long id);
    }

    private IndexSources() {
    }

    /** The string stored with a code in a segment: source, label and data set separated by tabs. */
    static String encode(Source s) {
        return clean(s.source()) + '\t' + clean(s.label()) + '\t' + clean(s.dataset());
    }

    // A tab or line break inside a field would shift the fields after it.
    private static String clean(String field) {
        return field.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /** A stored string read back (a string without tabs is a bare source, as other writers may store). */
    static Source decode(long id, String stored) {
        String[] f = stored.split("\t", -1);
        return new Source(id, f[0], f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "");
    }

    /** The sources of an open index: from its segments, or, for a version-1 file, from its side file. */
    static Lookup of(Path index, IndexSnapshot snapshot) throws IOException {
        if (Files.isDirectory(index)) {
            if (!snapshot.hasSources()) return id -> Optional.empty();
            return id -> snapshot.source(id).map(s -> decode(id, s));
        }
        Map<Long, Source> legacy = readLegacy(index);
        return id -> Optional.ofNullable(legacy.get(id));
    }

    static Path legacyPathFor(Path index) {
        return index.resolveSibling(index.getFileName() + ".sources.tsv");
    }

    /** The side file of a version-1 index file by id, or an empty map when there is none. */
    static Map<Long, Source> readLegacy(Path index) throws IOException {
        Map<Long, Source> out = new HashMap<>();
        Path p = legacyPathFor(index);
        if (!Files.isRegularFile(p)) return out;
        if (Files.size(p) > MAX_LEGACY_BYTES) {
            throw new IOException(p + ": " + Files.size(p) + " bytes, more than any side file (" + MAX_LEGACY_BYTES + ")");
        }
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                try {
                    long id = Long.parseLong(f[0]);
                    out.put(id, new Source(id, f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "", ""));
                } catch (NumberFormatException e) {
                    throw new IOException(p + ": line " + lineNo + ": '" + f[0] + "' is not an id");
                }
            }
        }
        return out;
    }
}
