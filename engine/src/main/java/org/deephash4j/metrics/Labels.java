package org.deephash4j.metrics;

/**
 * Ground-truth labels for retrieval metrics: each item holds a set of labels (one class for single-label data,
 * several for multi-hot data such as NUS-WIDE). Two items are relevant to each other iff they share at least
 * one label (METHODS.md 6.1; for single-label data: the same class).
 */
public final class Labels {
    private final int size;
    private final int words;
    private final long[] sets;   // [size * words], bit c of item i set iff item i has label c

    private Labels(int size, int words, long[] sets) {
        this.size = size;
        this.words = words;
        this.sets = sets;
    }

    /** Single-label data: {@code classes[i]} is the class index (>= 0) of item i. */
    public static Labels ofClasses(int[] classes) {
        int max = 0;
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0) {
                throw new IllegalArgumentException("Labels.ofClasses: class[" + i + "] = " + classes[i]
                        + ", expected >= 0");
            }
            max = Math.max(max, classes[i]);
        }
        int words = (max >>> 6) + 1;
        long[] sets = new long[classes.length * words];
        for (int i = 0; i < classes.length; i++) sets[i * words + (classes[i] >>> 6)] |= 1L << (classes[i] & 63);
        return new Labels(classes.length, words, sets);
    }

    /**
     * Multi-hot data: {@code multiHot} is [n, labelCount] row-major; entry > 0 means the item has that label.
     */
    public static Labels ofMultiHot(float[] multiHot, int labelCount) {
        if (labelCount < 1 || multiHot.length % labelCount != 0) {
            throw new IllegalArgumentException("Labels.ofMultiHot: " + multiHot.length + " values is not [n, "
                    + labelCount + "]");
        }
        int n = multiHot.length / labelCount;
        int words = ((labelCount - 1) >>> 6) + 1;
        long[] sets = new long[n * words];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < labelCount; c++) {
                if (multiHot[i * labelCount + c] > 0) sets[i * words + (c >>> 6)] |= 1L << (c & 63);
            }
        }
        return new Labels(n, words, sets);
    }

    public int size() {
        return size;
    }

    /** True iff item {@code i} of this and item {@code j} of {@code other} share at least one label. */
    public boolean relevant(int i, Labels other, int j) {
        int w = Math.min(words, other.words);
        for (int x = 0; x < w; x++) {
            if ((sets[i * words + x] & other.sets[j * other.words + x]) != 0) return true;
        }
        return false;
    }

    /** Relevance of every item of {@code database} to item {@code i} of this: out[j] = relevant(i, database, j). */
    void relevance(int i, Labels database, boolean[] out) {
        for (int j = 0; j < database.size; j++) out[j] = relevant(i, database, j);
    }
}
