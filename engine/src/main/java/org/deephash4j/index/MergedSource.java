package org.deephash4j.index;

/**
 * The live codes of every segment of a version, merged by id (each segment is already in id order), as the
 * {@link CodeSource} of a compaction: a k-way merge that reads the mapped segments and holds one block.
 */
final class MergedSource implements CodeSource {
    private final Version version;
    private final int size;
    private final int[] cursor;     // next row of each segment
    private final Segment first;

    MergedSource(Version version) {
        this.version = version;
        long live = version.manifest().live();
        if (live > Integer.MAX_VALUE) {
            throw new IllegalStateException("compact: " + live + " live codes do not fit one segment (at most "
                    + Integer.MAX_VALUE + ")");
        }
        this.size = (int) live;
        this.cursor = new int[version.segmentCount()];
        this.first = version.segmentCount() == 0 ? null : version.segment(0);
        for (int s = 0; s < cursor.length; s++) skipDeleted(s);
    }

    private void skipDeleted(int s) {
        Tombstones dead = version.tombstones(s);
        int n = version.segment(s).size();
        while (cursor[s] < n && dead.isDeleted(cursor[s])) cursor[s]++;
    }

    @Override
    public int bits() {
        return version.bits();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean hasLabels() {
        return first != null && first.hasLabels();
    }

    @Override
    public boolean hasSources() {
        return first != null && first.hasSources();
    }

    @Override
    public int featureDim() {
        return first == null ? 0 : first.featureDim();
    }

    @Override
    public void read(int from, int count, long[] words, long[] ids, int[] labels, String[] sources,
                     float[] features) {
        int w = org.deephash4j.search.BinaryCodes.wordsFor(bits());
        int dim = featureDim();
        for (int r = 0; r < count; r++) {
            int best = -1;
            long bestId = 0;
            for (int s = 0; s < cursor.length; s++) {
                if (cursor[s] >= version.segment(s).size()) continue;
                long id = version.segment(s).id(cursor[s]);
                if (best < 0 || id < bestId) {
                    best = s;
                    bestId = id;
                }
            }
            if (best < 0) throw new IllegalStateException("compact: the segments ran out at row " + (from + r));
            Segment seg = version.segment(best);
            int row = cursor[best]++;
            skipDeleted(best);
            seg.code(row, words, r * w);
            ids[r] = bestId;
            if (labels != null) labels[r] = seg.label(row);
            if (sources != null) sources[r] = seg.source(row);
            if (features != null) System.arraycopy(seg.features(row), 0, features, r * dim, dim);
        }
    }
}
