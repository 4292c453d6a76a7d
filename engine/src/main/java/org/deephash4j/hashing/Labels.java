package org.deephash4j.hashing;

import java.util.Arrays;

/**
 * The labels of a set of examples, on the host: either one class index per example, or a
 * multi-hot row of {@code classes} flags per example (NUS-WIDE, COCO).
 *
 * <p>Two examples are <em>similar</em> ({@code s_ij = 1}) when they share at least one label,
 * {@code y_i^T y_j > 0} (METHODS.md section 0); for single labels that is "same class".
 * Labels are small, so similarity matrices are built here on the host and copied to the
 * device with {@code Tensors.fromArray} by the losses.
 */
public final class Labels {
    private final int classes;
    private final int[] classIndex;      // single-label: class of example i; null when multi-hot
    private final boolean[][] multiHot;  // multi-hot: multiHot[i][c]; null when single-label

    private Labels(int classes, int[] classIndex, boolean[][] multiHot) {
        this.classes = classes;
        this.classIndex = classIndex;
        this.multiHot = multiHot;
    }

    /** One class index in [0, classes) per example. */
    public static Labels single(int[] classIndex, int classes) {
        if (classIndex == null) throw new IllegalArgumentException("labels: class indices are missing (null)");
        if (classes < 1) throw new IllegalArgumentException("labels: classes = " + classes + ", expected >= 1");
        for (int i = 0; i < classIndex.length; i++) {
            if (classIndex[i] < 0 || classIndex[i] >= classes) {
                throw new IllegalArgumentException("labels: example " + i + " has class " + classIndex[i]
                        + ", expected a class in [0, " + classes + ")");
            }
        }
        return new Labels(classes, classIndex.clone(), null);
    }

    /** Multi-hot rows, {@code rows[i][c] = true} when example i carries label c; all rows the same length. */
    public static Labels multiHot(boolean[][] rows) {
        if (rows == null) throw new IllegalArgumentException("labels: multi-hot rows are missing (null)");
        int classes = rows.length == 0 ? 1 : rows[0].length;
        if (classes < 1) throw new IllegalArgumentException("labels: multi-hot rows have no columns");
        boolean[][] copy = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != classes) {
                throw new IllegalArgumentException("labels: multi-hot row " + i + " has " + rows[i].length
                        + " columns, expected " + classes + " like row 0");
            }
            copy[i] = rows[i].clone();
        }
        return new Labels(classes, null, copy);
    }

    /** Number of examples. */
    public int size() {
        return classIndex != null ? classIndex.length : multiHot.length;
    }

    /** Number of classes (label columns). */
    public int classes() {
        return classes;
    }

    /** True when the labels are multi-hot rows rather than class indices. */
    public boolean isMultiHot() {
        return multiHot != null;
    }

    /** True when example i carries label c. */
    public boolean has(int i, int c) {
        return classIndex != null ? classIndex[i] == c : multiHot[i][c];
    }

    /** The class index of example i (single-label only). */
    public int classOf(int i) {
        if (classIndex == null) throw new IllegalStateException("labels: classOf needs single labels, these are multi-hot");
        return classIndex[i];
    }

    /** y_i^T y_j: the number of labels examples i and j share. */
    public int shared(int i, int j) {
        if (classIndex != null) return classIndex[i] == classIndex[j] ? 1 : 0;
        int n = 0;
        for (int c = 0; c < classes; c++) if (multiHot[i][c] && multiHot[j][c]) n++;
        return n;
    }

    /** y_i^T y_i: the number of labels example i carries. */
    public int count(int i) {
        return shared(i, i);
    }

    /** s_ij = [y_i^T y_j > 0]. */
    public boolean similar(int i, int j) {
        return shared(i, j) > 0;
    }

    /** The labels of examples {@code indices} (in that order). */
    public Labels subset(int[] indices) {
        for (int idx : indices) {
            if (idx < 0 || idx >= size()) {
                throw new IllegalArgumentException("labels: index " + idx + " is outside [0, " + size() + ")");
            }
        }
        if (classIndex != null) {
            int[] sub = new int[indices.length];
            for (int i = 0; i < indices.length; i++) sub[i] = classIndex[indices[i]];
            return new Labels(classes, sub, null);
        }
        boolean[][] sub = new boolean[indices.length][];
        for (int i = 0; i < indices.length; i++) sub[i] = multiHot[indices[i]].clone();
        return new Labels(classes, null, sub);
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
     * Row-major [size, other.size] similarity S_ij = [y_i^T y'_j > 0] between these examples
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
            for (int j = 0; j < m; j++) {
                boolean sim;
                if (classIndex != null && other.classIndex != null) {
                    sim = classIndex[i] == other.classIndex[j];
                } else {
                    sim = false;
                    for (int c = 0; c < classes && !sim; c++) sim = has(i, c) && other.has(j, c);
                }
                s[i * m + j] = sim ? 1f : 0f;
            }
        }
        return s;
    }

    /** The same labels for the retrieval metrics ({@code metrics.Labels}: relevant = sharing at least one label). */
    public org.deephash4j.metrics.Labels toMetricLabels() {
        return classIndex != null
                ? org.deephash4j.metrics.Labels.ofClasses(classIndex)
                : org.deephash4j.metrics.Labels.ofMultiHot(toMatrix(), classes);
    }

    @Override
    public String toString() {
        return "Labels(" + size() + " examples, " + classes + " classes, "
                + (isMultiHot() ? "multi-hot" : "single: " + Arrays.toString(Arrays.copyOf(classIndex, Math.min(8, size()))))
                + ")";
    }
}
