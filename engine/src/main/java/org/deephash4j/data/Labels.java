package org.deephash4j.data;

import java.util.Arrays;

/**
 * The labels of a set of examples, on the host: one class index per example (single-label data
 * such as MNIST, CIFAR-10), or a multi-hot row of {@code classes} flags per example (NUS-WIDE,
 * COCO). The one definition of similarity that training and evaluation share.
 *
 * <p>Two examples are <em>similar</em> ({@code s_ij = 1}), and a database item is <em>relevant</em>
 * to a query, when they share at least one label, {@code y_i^T y_j > 0} (METHODS.md sections 0
 * and 6.1); for single labels that is "same class". Each row is also kept as a bit set, so a
 * relevance test is one AND per 64 classes.
 */
public final class Labels {
    private final int classes;
    private final int[] classIndex;   // single-label: class of example i; null when multi-hot
    private final int words;          // longs per bit-set row
    private final long[] sets;        // [size * words]: bit c of row i set when example i carries label c

    private Labels(int classes, int[] classIndex, long[] sets) {
        this.classes = classes;
        this.classIndex = classIndex;
        this.words = wordsFor(classes);
        this.sets = sets;
    }

    /** One class index in [0, classes) per example. */
    public static Labels single(int[] classIndex, int classes) {
        if (classIndex == null) throw new IllegalArgumentException("labels: class indices are missing (null)");
        if (classes < 1) throw new IllegalArgumentException("labels: classes = " + classes + ", expected >= 1");
        int words = wordsFor(classes);
        long[] sets = new long[classIndex.length * words];
        for (int i = 0; i < classIndex.length; i++) {
            int c = classIndex[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("labels: example " + i + " has class " + c
                        + ", expected a class in [0, " + classes + ")");
            }
            sets[i * words + (c >>> 6)] |= 1L << (c & 63);
        }
        return new Labels(classes, classIndex.clone(), sets);
    }

    /** Multi-hot rows, {@code rows[i][c] = true} when example i carries label c; all rows the same length. */
    public static Labels multiHot(boolean[][] rows) {
        if (rows == null) throw new IllegalArgumentException("labels: multi-hot rows are missing (null)");
        int classes = rows.length == 0 ? 1 : rows[0].length;
        if (classes < 1) throw new IllegalArgumentException("labels: multi-hot rows have no columns");
        int words = wordsFor(classes);
        long[] sets = new long[rows.length * words];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != classes) {
                throw new IllegalArgumentException("labels: multi-hot row " + i + " has " + rows[i].length
                        + " columns, expected " + classes + " like row 0");
            }
            for (int c = 0; c < classes; c++) if (rows[i][c]) sets[i * words + (c >>> 6)] |= 1L << (c & 63);
        }
        return new Labels(classes, null, sets);
    }

    /** Multi-hot rows from a row-major {@code [n, classes]} matrix; an entry &gt; 0 means the label is carried. */
    public static Labels multiHot(float[] matrix, int classes) {
        if (classes < 1 || matrix.length % classes != 0) {
            throw new IllegalArgumentException("labels: " + matrix.length + " values is not an [n, " + classes + "] matrix");
        }
        boolean[][] rows = new boolean[matrix.length / classes][classes];
        for (int i = 0; i < rows.length; i++) for (int c = 0; c < classes; c++) rows[i][c] = matrix[i * classes + c] > 0;
        return multiHot(rows);
    }

    private static int wordsFor(int classes) {
        return ((classes - 1) >>> 6) + 1;
    }

    /** Number of examples. */
    public int size() {
        return sets.length / words;
    }

    /** Number of classes (label columns). */
    public int classes() {
        return classes;
    }

    /** True when the labels are multi-hot rows rather than class indices. */
    public boolean isMultiHot() {
        return classIndex == null;
    }

    /** True when example i carries label c. */
    public boolean has(int i, int c) {
        return (sets[i * words + (c >>> 6)] & (1L << (c & 63))) != 0;
    }

    /** The class index of example i (single-label only). */
    public int classOf(int i) {
        if (classIndex == null) throw new IllegalStateException("labels: classOf needs single labels, these are multi-hot");
        return classIndex[i];
    }

    /** y_i^T y_j: the number of labels examples i and j share. */
    public int shared(int i, int j) {
        int n = 0;
        for (int w = 0; w < words; w++) n += Long.bitCount(sets[i * words + w] & sets[j * words + w]);
        return n;
    }

    /** y_i^T y_i: the number of labels example i carries. */
    public int count(int i) {
        return shared(i, i);
    }

    /** s_ij = [y_i^T y_j &gt; 0] between two examples of this set. */
    public boolean similar(int i, int j) {
        return relevant(i, this, j);
    }

    /** True when example i of this set and example j of {@code other} share at least one label. */
    public boolean relevant(int i, Labels other, int j) {
        int w = Math.min(words, other.words);
        for (int x = 0; x < w; x++) {
            if ((sets[i * words + x] & other.sets[j * other.words + x]) != 0) return true;
        }
        return false;
    }

    /** out[j] = relevant(i, database, j) for every example j of {@code database}. */
    public void relevance(int i, Labels database, boolean[] out) {
        for (int j = 0; j < database.size(); j++) out[j] = relevant(i, database, j);
    }

    /** The labels of examples {@code indices} (in that order). */
    public Labels subset(int[] indices) {
        long[] sub = new long[indices.length * words];
        for (int k = 0; k < indices.length; k++) {
            int idx = indices[k];
            if (idx < 0 || idx >= size()) {
                throw new IllegalArgumentException("labels: index " + idx + " is outside [0, " + size() + ")");
            }
            System.arraycopy(sets, idx * words, sub, k * words, words);
        }
        int[] subClass = null;
        if (classIndex != null) {
            subClass = new int[indices.length];
            for (int k = 0; k < indices.length; k++) subClass[k] = classIndex[indices[k]];
        }
        return new Labels(classes, subClass, sub);
    }

    /** Row-major [size, classes] 0/1 matrix Y (one-hot rows for single labels). */
    public float[] toMatrix() {
        float[] y = new float[size() * classes];
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < classes; c++) if (has(i, c)) y[i * classes + c] = 1f;
        }
        return y;
    }

    /**
     * Row-major [size, other.size] similarity S_ij = [y_i^T y'_j &gt; 0] between these examples
     * (rows) and {@code other} (columns); both must have the same number of classes.
     */
    public float[] similarity(Labels other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("labels: similarity between labels with " + classes + " and "
                    + other.classes + " classes");
        }
        int n = size();
        int m = other.size();
        float[] s = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) s[i * m + j] = relevant(i, other, j) ? 1f : 0f;
        }
        return s;
    }

    @Override
    public String toString() {
        return "Labels(" + size() + " examples, " + classes + " classes, "
                + (isMultiHot() ? "multi-hot" : "single: " + Arrays.toString(Arrays.copyOf(classIndex, Math.min(8, size()))))
                + ")";
    }
}
