package org.deephash4j.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deephash4j.io.AtomicFile;
import org.deephash4j.io.FormatException;
import org.deephash4j.io.IndexFile;
import org.deephash4j.search.MultiIndexHashing;
import org.deephash4j.search.SearchThreads;

/**
 * A code index on disk that grows past the heap: a folder of segments (codes, ids and side data, memory-mapped
 * through the Foreign Function and Memory API, so opening costs no reading and processes share the pages), each
 * with its multi-index tables saved beside it, and a manifest that names the current version.
 *
 * <p>Changes ({@link #append}, {@link #delete}, {@link #compact}) write new files under new names and then replace
 * the manifest by an atomic rename, so a process killed at any moment leaves the old version or the new one; the
 * next change removes what a killed change left behind. One process changes an index at a time (a lock file);
 * any number of threads and processes search it meanwhile, each search on one consistent version
 * ({@link #snapshot()}). Ids are unique among the live codes; a segment keeps its rows in id order. Deleted codes
 * are marked in per-segment tombstones until {@link #compact} rewrites the segments into one.
 *
 * <p>A version-1 file ({@link IndexFile}) opens read-only ({@link #open}); {@link #convert} makes a folder index of
 * it. File formats: {@link IndexFormat} and the classes it lists.
 */
public final class CodeIndex implements AutoCloseable {
    /** How often a reader re-reads the manifest when a writer removed files of the version it was opening. */
    private static final int OPEN_ATTEMPTS = 50;

    private final Path path;
    private final int bits;
    private final boolean readOnly;
    private final Map<Long, SegmentFiles> opened = new HashMap<>();
    private Version current;
    private boolean closed;

    private CodeIndex(Path path, int bits, boolean readOnly, Version current) {
        this.path = path;
        this.bits = bits;
        this.readOnly = readOnly;
        this.current = current;
    }

    /** Whether {@code folder} holds an index (its manifest), as {@link #create} would refuse and {@link #open} opens. */
    public static boolean isIndexFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(IndexFormat.MANIFEST));
    }

    /**
     * Makes an empty index of {@code bits}-bit codes in {@code folder} (created if missing).
     *
     * @throws IllegalArgumentException if the folder already holds an index
     */
    public static CodeIndex create(Path folder, int bits) throws IOException {
        if (bits < 1) throw new IllegalArgumentException("CodeIndex.create: bits = " + bits + ", expected >= 1");
        Files.createDirectories(folder);
        try (IndexLock lock = IndexLock.acquire(folder)) {
            if (Files.exists(folder.resolve(IndexFormat.MANIFEST))) {
                throw new IllegalArgumentException(folder + " already holds an index (" + IndexFormat.MANIFEST
                        + " exists); open it with CodeIndex.open");
            }
            Manifest.empty(bits).write(folder);
        }
        return open(folder);
    }

    /**
     * Opens an index folder, or a version-1 index file read-only (copied into a temporary mapped segment, with
     * multi-index tables built in memory).
     *
     * @throws FormatException if the manifest, a segment header or the file is not what it claims to be
     */
    public static CodeIndex open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path manifest = path.resolve(IndexFormat.MANIFEST);
            if (!Files.exists(manifest)) {
                throw new NoSuchFileException(manifest.toString(), null, "not an index folder (no "
                        + IndexFormat.MANIFEST + "); create one with CodeIndex.create");
            }
            Manifest m = Manifest.read(path);
            CodeIndex index = new CodeIndex(path, m.bits(), false, null);
            index.refresh();
            return index;
        }
        if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null, "no index file or folder");
        return openVersion1(path);
    }

    private static CodeIndex openVersion1(Path file) throws IOException {
        IndexFile v1 = IndexFile.read(file);
        CodeBatch batch = CodeBatch.of(v1.codes());
        if (v1.hasFeatures()) batch = batch.withFeatures(v1.features(), v1.featureDim());
        int n = v1.codes().size();
        int m = n == 0 ? 0 : MultiIndexHashing.defaultSubstrings(v1.codes().bits(), n);
        Path tmp = Files.createTempDirectory("deephash-v1-index-");
        Path segmentPath = tmp.resolve(IndexFormat.segmentName(1));
        Path tablesPath = tmp.resolve(IndexFormat.multiIndexName(1));
        MappedFile segmentFile = null;
        MappedFile tablesFile = null;
        try {
            SegmentFile.Written w = SegmentFile.write(segmentPath, v1.codes().bits(), batch, (ids, count) -> { });
            segmentFile = MappedFile.map(segmentPath);
            Segment segment = Segment.of(file, segmentFile.segment());
            if (m > 0) {
                MultiIndexFile.write(tablesPath, segment, m, SearchThreads.defaultThreads());
                tablesFile = MappedFile.map(tablesPath);
            }
            SegmentFiles files = SegmentFiles.of(1, tmp, segmentFile, segment, tablesFile,
                    m > 0 ? MultiIndexFile.open(tablesPath, tablesFile.segment(), segment, m) : null);
            Manifest manifest = new Manifest(v1.codes().bits(), 1, 2, n == 0 ? List.of()
                    : List.of(new Manifest.Entry(1, n, 0, 0, w.minId(), w.maxId(), 0)));
            Version version = new Version(manifest, n == 0 ? List.of() : List.of(files),
                    n == 0 ? List.of() : List.of(Tombstones.none(n)));
            if (n == 0) files.release();
            return new CodeIndex(file, v1.codes().bits(), true, version);
        } catch (IOException | RuntimeException e) {
            if (tablesFile != null) tablesFile.release();
            if (segmentFile != null) segmentFile.release();
            throw e;
        } finally {
            // The mappings keep the data; the names are not needed (POSIX keeps an unlinked mapped file alive).
            Files.deleteIfExists(segmentPath);
            Files.deleteIfExists(tablesPath);
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Makes an index folder of a version-1 file: its codes, ids and features in one segment, with multi-index
     * tables. (The command line's {@code .sources.tsv} side file is the command line's to add, as sources.)
     */
    public static CodeIndex convert(Path version1File, Path folder) throws IOException {
        IndexFile v1 = IndexFile.read(version1File);
        CodeBatch batch = CodeBatch.of(v1.codes());
        if (v1.hasFeatures()) batch = batch.withFeatures(v1.features(), v1.featureDim());
        CodeIndex index = create(folder, v1.codes().bits());
        try {
            index.append(batch);
            return index;
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** The folder (or version-1 file). */
    public Path path() {
        return path;
    }

    public int bits() {
        return bits;
    }

    /** True for a version-1 file: it can be searched, not changed. */
    public boolean readOnly() {
        return readOnly;
    }

    // ---------------------------------------------------------------- versions

    /**
     * The current version, held open until the snapshot is closed. Reads the manifest (a small file) to see
     * whether another process changed the index, and opens the new version if so.
     */
    public IndexSnapshot snapshot() throws IOException {
        synchronized (this) {
            requireOpen();
            Version v = readOnly ? current : refresh();
            if (!v.retain()) throw new IllegalStateException("index version " + v.generation() + " is closed");
            return new IndexSnapshot(v);
        }
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("CodeIndex " + path + " is closed");
    }

    /** Makes the manifest's version current (reusing the mapped segments it shares with the old one). */
    private synchronized Version refresh() throws IOException {
        long failedGeneration = -1;
        for (int attempt = 0; ; attempt++) {
            Manifest m = Manifest.read(path);
            if (current != null && current.generation() == m.generation()) return current;
            try {
                Version v = openVersion(m);
                Version old = current;
                current = v;
                if (old != null) old.release();
                opened.keySet().retainAll(numbers(m));
                return v;
            } catch (NoSuchFileException e) {
                // A writer replaced this version after its manifest was read, and removed its files: read again.
                if (m.generation() == failedGeneration || attempt >= OPEN_ATTEMPTS) {
                    throw new FormatException(path.resolve(IndexFormat.MANIFEST), "segments", Manifest.HEADER_BYTES,
                            "the manifest (generation " + m.generation() + ") names " + e.getFile()
                                    + ", which does not exist");
                }
                failedGeneration = m.generation();
            }
        }
    }

    private static Set<Long> numbers(Manifest m) {
        Set<Long> s = new HashSet<>();
        for (Manifest.Entry e : m.segments()) s.add(e.number());
        return s;
    }

    private Version openVersion(Manifest m) throws IOException {
        List<SegmentFiles> files = new ArrayList<>();
        List<Tombstones> tombstones = new ArrayList<>();
        try {
            for (Manifest.Entry e : m.segments()) {
                SegmentFiles f = opened.get(e.number());
                if (f == null || !f.retain()) {
                    f = SegmentFiles.open(path, m.bits(), e);
                    opened.put(e.number(), f);
                }
                files.add(f);
                int rows = (int) e.rows();
                tombstones.add(e.tombstones() == 0 ? Tombstones.none(rows) : TombstoneFile.read(
                        path.resolve(IndexFormat.tombstoneName(e.number(), e.tombstones())), rows, e.deleted()));
            }
        } catch (IOException | RuntimeException ex) {
            for (SegmentFiles f : files) f.release();
            throw ex;
        }
        return new Version(m, files, tombstones);
    }

    // ---------------------------------------------------------------- changes

    @FunctionalInterface
    private interface Change<T> {
        T apply(Manifest manifest, Version version) throws IOException;
    }

    /**
     * Runs one change under the writer lock, on the manifest as it is on disk now (another process may have
     * changed it), after removing what an interrupted change left; then makes the result current here.
     */
    private <T> T change(Change<T> body) throws IOException {
        synchronized (this) {
            requireOpen();
        }
        if (readOnly) {
            throw new IllegalStateException(path + " is a version-1 index file and cannot be changed; make an index "
                    + "folder of it with CodeIndex.convert(file, folder)");
        }
        try (IndexLock lock = IndexLock.acquire(path)) {
            Version v;
            synchronized (this) {
                v = refresh();
                v.retain();
            }
            try {
                removeUnreferenced(v.manifest());
                T result = body.apply(v.manifest(), v);
                removeUnreferenced(Manifest.read(path));
                return result;
            } finally {
                v.release();
            }
        } finally {
            synchronized (this) {
                if (!closed) refresh();
            }
        }
    }

    /** Deletes the index files (never other files) that the manifest does not name: leftovers of killed changes. */
    private void removeUnreferenced(Manifest m) throws IOException {
        Set<String> keep = new HashSet<>();
        for (Manifest.Entry e : m.segments()) {
            keep.add(IndexFormat.segmentName(e.number()));
            if (e.substrings() > 0) keep.add(IndexFormat.multiIndexName(e.number()));
            if (e.tombstones() > 0) keep.add(IndexFormat.tombstoneName(e.number(), e.tombstones()));
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (IndexFormat.isIndexFile(name) && !keep.contains(name)) Files.deleteIfExists(f);
            }
        }
    }

    /** Appends codes as a new segment with multi-index tables of the default substring count. */
    public void append(CodeSource source) throws IOException {
        append(source, -1);
    }

    /**
     * Appends codes as one new segment, atomically.
     *
     * @param substrings multi-index tables to build beside the segment: their substring count, -1 for the default
     *                   ({@link MultiIndexHashing#defaultSubstrings}), 0 for none
     * @throws IllegalArgumentException if the codes have another bit length, an id is already live in the index or
     *                                  repeats, or the side data differs from the index's (labels, sources, features)
     */
    public void append(CodeSource source, int substrings) throws IOException {
        if (source.bits() != bits) {
            throw new IllegalArgumentException("append: " + path.getFileName() + " holds " + bits
                    + "-bit codes but the new codes have " + source.bits() + " bits");
        }
        if (source.size() == 0) return;
        int m = substrings < 0 ? MultiIndexHashing.defaultSubstrings(bits, source.size()) : substrings;
        if (m > 0) MultiIndexFile.Layout.of(bits, source.size(), m);   // rejects a bad count before writing
        change((manifest, version) -> {
            checkSideData(version, source);
            long number = manifest.nextFile();
            Path segmentPath = path.resolve(IndexFormat.segmentName(number));
            Path tablesPath = path.resolve(IndexFormat.multiIndexName(number));
            boolean committed = false;
            try {
                SegmentFile.Written w = SegmentFile.write(segmentPath, bits, source,
                        (ids, count) -> checkNewIds(version, ids, count));
                if (m > 0) buildTables(segmentPath, tablesPath, m);
                List<Manifest.Entry> entries = new ArrayList<>(manifest.segments());
                entries.add(new Manifest.Entry(number, w.rows(), 0, 0, w.minId(), w.maxId(), m));
                AtomicFile.forceDirectory(path);
                manifest.next(entries, number + 1).write(path);
                committed = true;
            } finally {
                if (!committed) {
                    Files.deleteIfExists(segmentPath);
                    Files.deleteIfExists(tablesPath);
                }
            }
            return null;
        });
    }

    private static void buildTables(Path segmentPath, Path tablesPath, int substrings) throws IOException {
        MappedFile f = MappedFile.map(segmentPath);
        try {
            MultiIndexFile.write(tablesPath, Segment.of(segmentPath, f.segment()), substrings,
                    SearchThreads.defaultThreads());
        } finally {
            f.release();
        }
    }

    private static void checkSideData(Version v, CodeSource source) {
        if (v.segmentCount() == 0) return;
        Segment s = v.segment(0);
        if (s.hasLabels() != source.hasLabels() || s.hasSources() != source.hasSources()
                || s.featureDim() != source.featureDim()) {
            throw new IllegalArgumentException("append: the index keeps " + describe(s.hasLabels(), s.hasSources(),
                    s.featureDim()) + " with each code but the new codes come with " + describe(source.hasLabels(),
                    source.hasSources(), source.featureDim()));
        }
    }

    private static String describe(boolean labels, boolean sources, int featureDim) {
        List<String> parts = new ArrayList<>();
        if (labels) parts.add("a label");
        if (sources) parts.add("a source");
        if (featureDim > 0) parts.add(featureDim + " features");
        return parts.isEmpty() ? "no side data" : String.join(", ", parts);
    }

    private static void checkNewIds(Version v, long[] ids, int count) {
        for (int i = 0; i < count; i++) {
            long id = ids[i];
            for (int s = 0; s < v.segmentCount(); s++) {
                Segment seg = v.segment(s);
                int row = seg.rowOf(id);
                if (row >= 0 && !v.tombstones(s).isDeleted(row)) {
                    throw new IllegalArgumentException("append: id " + id + " is already in the index ("
                            + seg.path().getFileName() + " row " + row + "); ids must be unique");
                }
            }
        }
    }

    /**
     * Marks the codes with these ids deleted, atomically (ids not in the index are ignored). A segment whose codes
     * are all deleted is dropped at once; others keep their rows until {@link #compact}.
     *
     * @return the number of codes deleted
     */
    public long delete(long... ids) throws IOException {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        return change((manifest, version) -> {
            long generation = manifest.generation() + 1;
            List<Manifest.Entry> entries = new ArrayList<>();
            List<Path> written = new ArrayList<>();
            long total = 0;
            boolean committed = false;
            try {
                for (int s = 0; s < version.segmentCount(); s++) {
                    Manifest.Entry e = manifest.segments().get(s);
                    Segment seg = version.segment(s);
                    Tombstones dead = version.tombstones(s);
                    int[] rows = new int[16];
                    int count = 0;
                    int from = lowerBound(sorted, seg.minId());
                    for (int i = from; i < sorted.length && sorted[i] <= seg.maxId(); i++) {
                        if (i > from && sorted[i] == sorted[i - 1]) continue;
                        int row = seg.rowOf(sorted[i]);
                        if (row < 0 || dead.isDeleted(row)) continue;
                        if (count == rows.length) rows = Arrays.copyOf(rows, 2 * count);
                        rows[count++] = row;
                    }
                    if (count == 0) {
                        entries.add(e);
                        continue;
                    }
                    total += count;
                    Tombstones updated = dead.plus(seg.size(), rows, count);
                    if (updated.deleted() == seg.size()) continue;      // nothing left: the segment goes
                    Path file = path.resolve(IndexFormat.tombstoneName(e.number(), generation));
                    written.add(file);
                    TombstoneFile.write(file, updated);
                    entries.add(e.withTombstones(generation, updated.deleted()));
                }
                if (total == 0) return 0L;
                manifest.next(entries, manifest.nextFile()).write(path);
                committed = true;
                return total;
            } finally {
                if (!committed) for (Path f : written) Files.deleteIfExists(f);
            }
        });
    }

    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        if (i < 0) return -i - 1;
        while (i > 0 && sorted[i - 1] == key) i--;
        return i;
    }

    /**
     * Rewrites the live codes of every segment into one new segment (deleted codes are gone), with multi-index
     * tables of the default substring count when any old segment had tables, atomically. Nothing happens when the
     * index is one segment without deletions.
     */
    public void compact() throws IOException {
        change((manifest, version) -> {
            List<Manifest.Entry> old = manifest.segments();
            if (old.isEmpty() || (old.size() == 1 && old.get(0).deleted() == 0)) return null;
            boolean tables = false;
            for (Manifest.Entry e : old) tables |= e.substrings() > 0;
            long number = manifest.nextFile();
            Path segmentPath = path.resolve(IndexFormat.segmentName(number));
            Path tablesPath = path.resolve(IndexFormat.multiIndexName(number));
            boolean committed = false;
            try {
                MergedSource merged = new MergedSource(version);
                List<Manifest.Entry> entries = new ArrayList<>();
                if (merged.size() > 0) {
                    SegmentFile.Written w = SegmentFile.write(segmentPath, bits, merged, (ids, count) -> { });
                    int m = tables ? MultiIndexHashing.defaultSubstrings(bits, w.rows()) : 0;
                    if (m > 0) buildTables(segmentPath, tablesPath, m);
                    entries.add(new Manifest.Entry(number, w.rows(), 0, 0, w.minId(), w.maxId(), m));
                }
                AtomicFile.forceDirectory(path);
                manifest.next(entries, number + 1).write(path);
                committed = true;
            } finally {
                if (!committed) {
                    Files.deleteIfExists(segmentPath);
                    Files.deleteIfExists(tablesPath);
                }
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- inspection

    /** What the current version holds, with the bytes of its files. */
    public IndexStats stats() throws IOException {
        try (IndexSnapshot s = snapshot()) {
            IndexStats st = s.stats();
            long bytes = 0;
            if (!readOnly) {
                bytes = Files.size(path.resolve(IndexFormat.MANIFEST));
                for (Manifest.Entry e : s.version().manifest().segments()) {
                    bytes += Files.size(path.resolve(IndexFormat.segmentName(e.number())));
                    if (e.substrings() > 0) bytes += Files.size(path.resolve(IndexFormat.multiIndexName(e.number())));
                    if (e.tombstones() > 0) {
                        bytes += Files.size(path.resolve(IndexFormat.tombstoneName(e.number(), e.tombstones())));
                    }
                }
            } else {
                bytes = Files.size(path);
            }
            return new IndexStats(st.bits(), st.generation(), st.segments(), st.withTables(), st.rows(), st.live(),
                    st.deleted(), bytes);
        }
    }

    /**
     * Reads every file of the current version and checks every checksum (opening checks only headers, so that it
     * costs no reading): throws a {@link FormatException} naming the first corrupted file and field.
     */
    public void verify() throws IOException {
        try (IndexSnapshot s = snapshot()) {
            Version v = s.version();
            for (int i = 0; i < v.segmentCount(); i++) v.files(i).verify();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Lets go of the current version; snapshots still open keep theirs until they are closed. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (current != null) current.release();
        current = null;
    }

    @Override
    public String toString() {
        return "CodeIndex[" + path + ", " + bits + " bits" + (readOnly ? ", version 1, read-only" : "") + "]";
    }
}
