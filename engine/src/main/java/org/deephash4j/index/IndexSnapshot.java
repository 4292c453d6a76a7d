package org.deephash4j.index;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.SegmentHammingKernels;

/**
 * One consistent version of an index, held open for searching: whatever other threads or processes append,
 * delete or compact meanwhile, every search of a snapshot sees the same codes, and its files stay mapped until the
 * snapshot is closed. Thread-safe; close it when done ({@code try (IndexSnapshot s = index.snapshot()) { ... }}).
 */
public final class IndexSnapshot implements AutoCloseable {
    private final Version version;
    private final AtomicBoolean closed = new AtomicBoolean();

    IndexSnapshot(Version version) {
        this.version = version;
    }

    private Version open() {
        if (closed.get()) throw new IllegalStateException("IndexSnapshot of generation " + version.generation()
                + " is closed");
        return version;
    }

    /** The version's number: one more for every change of the index. */
    public long generation() {
        return version.generation();
    }

    public int bits() {
        return version.bits();
    }

    /** Live codes (those a search can find). */
    public long size() {
        return version.manifest().live();
    }

    public int segments() {
        return version.segmentCount();
    }

    /**
     * The largest id stored in this version's segments, deleted rows included (ids above it are free: the command
     * line numbers appended images from here), or empty when the index holds no segment.
     */
    public OptionalLong maxId() {
        long max = Long.MIN_VALUE;
        for (Manifest.Entry e : open().manifest().segments()) if (e.rows() > 0) max = Math.max(max, e.maxId());
        return max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max);
    }

    private IndexSearch search(SearchOptions options) {
        return new IndexSearch(open(), options, SegmentHammingKernels.best());
    }

    private static BinaryCodes row(BinaryCodes queries, int row) {
        if (row < 0 || row >= queries.size()) {
            throw new IllegalArgumentException("query row " + row + " of " + queries.size() + " queries");
        }
        return queries.row(row);
    }

    /** The k nearest live codes to query row {@code row}, by (distance, id): min(k, live) of them. */
    public Hits knn(BinaryCodes queries, int row, int k, SearchOptions options) {
        return search(options).knn(row(queries, row), k)[0];
    }

    public Hits knn(BinaryCodes queries, int row, int k) {
        return knn(queries, row, k, SearchOptions.defaults());
    }

    /** k-NN of every query row. */
    public Hits[] knnBatch(BinaryCodes queries, int k, SearchOptions options) {
        return search(options).knn(queries, k);
    }

    /** Every live code within distance {@code radius} (inclusive) of query row {@code row}, by (distance, id). */
    public Hits radius(BinaryCodes queries, int row, int radius, SearchOptions options) {
        return search(options).radius(row(queries, row), radius)[0];
    }

    public Hits radius(BinaryCodes queries, int row, int radius) {
        return radius(queries, row, radius, SearchOptions.defaults());
    }

    /** Radius search of every query row. */
    public Hits[] radiusBatch(BinaryCodes queries, int radius, SearchOptions options) {
        return search(options).radius(queries, radius);
    }

    /** Where the live code {@code id} is: {segment, row}, or null. */
    private int[] locate(long id) {
        Version v = open();
        for (int s = v.segmentCount() - 1; s >= 0; s--) {
            int row = v.segment(s).rowOf(id);
            if (row >= 0 && !v.tombstones(s).isDeleted(row)) return new int[] {s, row};
        }
        return null;
    }

    public boolean contains(long id) {
        return locate(id) != null;
    }

    /** The code of a live id. */
    public Optional<BinaryCodes> code(long id) {
        int[] at = locate(id);
        return at == null ? Optional.empty() : Optional.of(version.segment(at[0]).select(new int[] {at[1]}));
    }

    /** The source string stored with a live id (empty when the id is absent or the index keeps no sources). */
    public Optional<String> source(long id) {
        int[] at = locate(id);
        if (at == null || !version.segment(at[0]).hasSources()) return Optional.empty();
        return Optional.of(version.segment(at[0]).source(at[1]));
    }

    /** The label stored with a live id (empty when the id is absent or the index keeps no labels). */
    public OptionalInt label(long id) {
        int[] at = locate(id);
        if (at == null || !version.segment(at[0]).hasLabels()) return OptionalInt.empty();
        return OptionalInt.of(version.segment(at[0]).label(at[1]));
    }

    /** The features stored with a live id (empty when absent or the index keeps none). */
    public Optional<float[]> features(long id) {
        int[] at = locate(id);
        if (at == null || version.segment(at[0]).featureDim() == 0) return Optional.empty();
        return Optional.of(version.segment(at[0]).features(at[1]));
    }

    public boolean hasSources() {
        return version.segmentCount() > 0 && version.segment(0).hasSources();
    }

    public boolean hasLabels() {
        return version.segmentCount() > 0 && version.segment(0).hasLabels();
    }

    public int featureDim() {
        return version.segmentCount() == 0 ? 0 : version.segment(0).featureDim();
    }

    /**
     * Every live code with its id, segment by segment in row order (for export, tests and brute force; it is
     * copied to the heap, so at most 2^31 - 1 codes).
     */
    public BinaryCodes liveCodes() {
        Version v = open();
        long live = v.manifest().live();
        if (live > Integer.MAX_VALUE) throw new IllegalStateException(live + " codes do not fit one BinaryCodes");
        int words = BinaryCodes.wordsFor(v.bits());
        long[] w = new long[(int) live * words];
        long[] ids = new long[(int) live];
        int at = 0;
        for (int s = 0; s < v.segmentCount(); s++) {
            Segment seg = v.segment(s);
            for (int row = 0; row < seg.size(); row++) {
                if (v.tombstones(s).isDeleted(row)) continue;
                seg.code(row, w, at * words);
                ids[at++] = seg.id(row);
            }
        }
        return BinaryCodes.fromWords(v.bits(), w, ids);
    }

    /** What this version holds (file sizes are not read: bytes is 0 here; {@link CodeIndex#stats()} has them). */
    public IndexStats stats() {
        Version v = open();
        int withTables = 0;
        for (int s = 0; s < v.segmentCount(); s++) if (v.files(s).hasTables()) withTables++;
        Manifest m = v.manifest();
        return new IndexStats(m.bits(), m.generation(), m.segments().size(), withTables, m.rows(), m.live(),
                m.rows() - m.live(), 0);
    }

    Version version() {
        return open();
    }

    /** Lets go of the version (its files are unmapped once no snapshot uses them). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) version.release();
    }
}
