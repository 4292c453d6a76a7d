package org.deephash4j.index;

import java.util.Arrays;
import org.deephash4j.search.BinaryCodes;

/**
 * Codes in memory, with their ids (from the {@link BinaryCodes}) and optional side data, as one {@link CodeSource}:
 * the rows are put in id order here, so the caller may give them in any order. Immutable.
 */
public final class CodeBatch implements CodeSource {
    private final BinaryCodes codes;
    private final int[] order;       // row of the i-th smallest id
    private final int[] labels;      // null when absent
    private final String[] sources;  // null when absent
    private final float[] features;  // null when absent
    private final int featureDim;

    private CodeBatch(BinaryCodes codes, int[] labels, String[] sources, float[] features, int featureDim) {
        int n = codes.size();
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("CodeBatch: " + labels.length + " labels for " + n + " codes");
        }
        if (sources != null && sources.length != n) {
            throw new IllegalArgumentException("CodeBatch: " + sources.length + " sources for " + n + " codes");
        }
        if (featureDim < 0 || (features == null) != (featureDim == 0)
                || (features != null && (long) n * featureDim != features.length)) {
            throw new IllegalArgumentException("CodeBatch: " + (features == null ? 0 : features.length)
                    + " feature values for " + n + " codes of featureDim " + featureDim + ", expected "
                    + ((long) n * featureDim));
        }
        this.codes = codes;
        this.labels = labels;
        this.sources = sources;
        this.features = features;
        this.featureDim = featureDim;
        this.order = idOrder(codes.ids());
    }

    /** The codes alone. */
    public static CodeBatch of(BinaryCodes codes) {
        return new CodeBatch(codes, null, null, null, 0);
    }

    /** The same codes with one label per code (arrays are used as given, not copied: do not change them). */
    public CodeBatch withLabels(int[] newLabels) {
        return new CodeBatch(codes, newLabels, sources, features, featureDim);
    }

    /** The same codes with one source string per code (the path of an image, say; null is stored as ""). */
    public CodeBatch withSources(String[] newSources) {
        return new CodeBatch(codes, labels, newSources, features, featureDim);
    }

    /** The same codes with features [n, featureDim] row-major. */
    public CodeBatch withFeatures(float[] newFeatures, int dim) {
        return new CodeBatch(codes, labels, sources, newFeatures, dim);
    }

    /** Row order by id; an IllegalArgumentException names a repeated id. */
    private static int[] idOrder(long[] ids) {
        int n = ids.length;
        int[] order = new int[n];
        boolean ascending = true;
        for (int i = 1; i < n && ascending; i++) ascending = ids[i - 1] < ids[i];
        if (ascending) {
            for (int i = 0; i < n; i++) order[i] = i;
            return order;
        }
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < n; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("CodeBatch: id " + sorted[i] + " appears twice (ids must be unique)");
            }
        }
        for (int i = 0; i < n; i++) order[Arrays.binarySearch(sorted, ids[i])] = i;
        return order;
    }

    @Override
    public int bits() {
        return codes.bits();
    }

    @Override
    public int size() {
        return codes.size();
    }

    @Override
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public boolean hasSources() {
        return sources != null;
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public void read(int from, int count, long[] words, long[] ids, int[] outLabels, String[] outSources,
                     float[] outFeatures) {
        int w = codes.wordsPerCode();
        for (int r = 0; r < count; r++) {
            int row = order[from + r];
            for (int j = 0; j < w; j++) words[r * w + j] = codes.word(row, j);
            ids[r] = codes.id(row);
            if (labels != null) outLabels[r] = labels[row];
            if (sources != null) outSources[r] = sources[row];
            if (features != null) System.arraycopy(features, row * featureDim, outFeatures, r * featureDim, featureDim);
        }
    }
}
