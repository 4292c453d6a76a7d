package org.deephash4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled images held on the host: pixels as unsigned bytes {@code [N, C, H, W]} (compact: full
 * Fashion-MNIST is 55 MB), labels as a multi-hot matrix {@code [N, classes]}. Batches come out as
 * normalised floats through {@link #images(int[], Normalization)}.
 *
 * <p>Single-label data (MNIST, Fashion-MNIST, CIFAR-10, an image folder) has exactly one 1 per row;
 * list files may carry several. Two images are similar when they share a label (METHODS.md §0).
 */
public final class Dataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;     // [N, C, H, W]
    private final byte[] labels;     // [N, classes], 0 or 1
    private final List<String> classNames;
    private final boolean singleLabel;   // every image has exactly one label

    /**
     * @param pixels [N, C, H, W] unsigned bytes
     * @param labels [N, classes] multi-hot, each entry 0 or 1
     */
    public Dataset(String name, int channels, int height, int width, byte[] pixels, byte[] labels, List<String> classNames) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("dataset " + name + ": image size " + channels + "x" + height + "x" + width
                    + " must be positive (C x H x W)");
        }
        int imageSize = channels * height * width;
        if (pixels.length % imageSize != 0) {
            throw new IllegalArgumentException("dataset " + name + ": " + pixels.length + " pixel bytes is not a whole number of "
                    + channels + "x" + height + "x" + width + " images");
        }
        int n = pixels.length / imageSize;
        int classes = classNames.size();
        if (classes == 0 || labels.length != (long) n * classes) {
            throw new IllegalArgumentException("dataset " + name + ": labels hold " + labels.length + " entries but " + n
                    + " images x " + classes + " classes need " + (long) n * classes);
        }
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.singleLabel = everyImageHasOneLabel();
    }

    /** A single-label dataset from class indices (one byte per image). */
    public static Dataset singleLabel(String name, int channels, int height, int width, byte[] pixels, int[] classIndex,
                                      List<String> classNames) {
        int classes = classNames.size();
        byte[] multiHot = new byte[classIndex.length * classes];
        for (int i = 0; i < classIndex.length; i++) {
            if (classIndex[i] < 0 || classIndex[i] >= classes) {
                throw new IllegalArgumentException("dataset " + name + ": image " + i + " has class " + classIndex[i]
                        + "; expected 0.." + (classes - 1));
            }
            multiHot[i * classes + classIndex[i]] = 1;
        }
        return new Dataset(name, channels, height, width, pixels, multiHot, classNames);
    }

    /** Class names 0..n-1 as "0", "1", ... */
    public static List<String> numberedClasses(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(Integer.toString(i));
        return names;
    }

    public String name() {
        return name;
    }

    public int size() {
        return pixels.length / imageSize();
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** C * H * W. */
    public int imageSize() {
        return channels * height * width;
    }

    public int classes() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** True when image i carries label c. */
    public boolean hasLabel(int i, int c) {
        return labels[i * classes() + c] != 0;
    }

    /** The class of a single-label image, or -1 when it has no label or several. */
    public int classOf(int i) {
        int found = -1;
        for (int c = 0; c < classes(); c++) {
            if (hasLabel(i, c)) {
                if (found >= 0) return -1;
                found = c;
            }
        }
        return found;
    }

    /** True when every image has exactly one label. */
    public boolean isSingleLabel() {
        return singleLabel;
    }

    private boolean everyImageHasOneLabel() {
        for (int i = 0; i < size(); i++) if (classOf(i) < 0) return false;
        return true;
    }

    /** The raw unsigned byte pixels of image i, [C, H, W]. */
    public byte[] rawImage(int i) {
        return Arrays.copyOfRange(pixels, i * imageSize(), (i + 1) * imageSize());
    }

    /** Images at {@code indices}, normalised: (pixel / 255 - mean[c]) / std[c]; [n, C, H, W] row-major. */
    public float[] images(int[] indices, Normalization norm) {
        if (norm.channels() != channels) {
            throw new IllegalArgumentException("dataset " + name + " has " + channels + " channels but the normalisation has "
                    + norm.channels());
        }
        int plane = height * width;
        float[] out = new float[indices.length * imageSize()];
        for (int k = 0; k < indices.length; k++) {
            int src = checkIndex(indices[k]) * imageSize();
            int dst = k * imageSize();
            for (int c = 0; c < channels; c++) {
                float scale = 1f / (255f * norm.std()[c]);
                float shift = norm.mean()[c] / norm.std()[c];
                for (int p = 0; p < plane; p++) {
                    int o = c * plane + p;
                    out[dst + o] = (pixels[src + o] & 0xff) * scale - shift;
                }
            }
        }
        return out;
    }

    /** Labels at {@code indices} as floats 0/1, [n, classes]. */
    public float[] labels(int[] indices) {
        int classes = classes();
        float[] out = new float[indices.length * classes];
        for (int k = 0; k < indices.length; k++) {
            int src = checkIndex(indices[k]) * classes;
            for (int c = 0; c < classes; c++) out[k * classes + c] = labels[src + c];
        }
        return out;
    }

    /**
     * The labels of the images at {@code indices}, in that order, as training and the metrics take
     * them: class indices when every image of the data set has exactly one label, multi-hot rows otherwise.
     */
    public Labels labelsOf(int[] indices) {
        if (isSingleLabel()) return Labels.single(classIndices(indices), classes());
        return Labels.multiHot(labels(indices), classes());
    }

    /** Class indices of single-label images at {@code indices} (throws if one has not exactly one label). */
    public int[] classIndices(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = classOf(checkIndex(indices[k]));
            if (out[k] < 0) {
                throw new IllegalArgumentException("dataset " + name + ": image " + indices[k]
                        + " does not have exactly one label; this needs single-label data");
            }
        }
        return out;
    }

    /** A new dataset holding copies of the images at {@code indices}, in that order. */
    public Dataset subset(int[] indices, String subsetName) {
        byte[] p = new byte[indices.length * imageSize()];
        byte[] l = new byte[indices.length * classes()];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            System.arraycopy(pixels, i * imageSize(), p, k * imageSize(), imageSize());
            System.arraycopy(labels, i * classes(), l, k * classes(), classes());
        }
        return new Dataset(subsetName, channels, height, width, p, l, classNames);
    }

    /**
     * Checks that the images of {@code first} and {@code second} fit in one data set (one Java array of
     * pixels, {@link GrowingBytes#MAX_ARRAY} bytes), before {@link #concat} tries; {@code secondFile}, the
     * file {@code second} came from, is named in the error.
     */
    static void checkJoinable(Dataset first, Dataset second, Path secondFile) throws DatasetFormatException {
        long total = (long) first.pixels.length + second.pixels.length;
        if (total > GrowingBytes.MAX_ARRAY) {
            throw new DatasetFormatException(secondFile, "pixels", 0, "its " + second.size() + " images with the "
                    + first.size() + " before them make " + total + " pixel bytes, more than one data set holds ("
                    + GrowingBytes.MAX_ARRAY + " bytes, the largest Java array)");
        }
    }

    /** The images of {@code first} followed by those of {@code second} (same image size and classes). */
    public static Dataset concat(Dataset first, Dataset second, String name) {
        if (first.channels != second.channels || first.height != second.height || first.width != second.width) {
            throw new IllegalArgumentException("concat: " + first.name + " holds " + first.shapeText() + " images but "
                    + second.name + " holds " + second.shapeText());
        }
        if (!first.classNames.equals(second.classNames)) {
            throw new IllegalArgumentException("concat: " + first.name + " and " + second.name + " have different classes");
        }
        long total = (long) first.pixels.length + second.pixels.length;
        if (total > GrowingBytes.MAX_ARRAY) {
            throw new IllegalArgumentException("concat: " + first.name + " and " + second.name + " hold " + total
                    + " pixel bytes together, more than one Java array holds (" + GrowingBytes.MAX_ARRAY + ")");
        }
        byte[] p = Arrays.copyOf(first.pixels, first.pixels.length + second.pixels.length);
        System.arraycopy(second.pixels, 0, p, first.pixels.length, second.pixels.length);
        byte[] l = Arrays.copyOf(first.labels, first.labels.length + second.labels.length);
        System.arraycopy(second.labels, 0, l, first.labels.length, second.labels.length);
        return new Dataset(name, first.channels, first.height, first.width, p, l, first.classNames);
    }

    /** As {@code 1x28x28}. */
    public String shapeText() {
        return channels + "x" + height + "x" + width;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IllegalArgumentException("dataset " + name + ": index " + i + " is out of range 0.." + (size() - 1));
        }
        return i;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images of " + shapeText() + ", " + classes() + " classes)";
    }
}
