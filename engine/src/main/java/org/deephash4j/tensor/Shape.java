package org.deephash4j.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major). Immutable.
 * Images are {@code [N, C, H, W]}, matrices {@code [rows, cols]}, a scalar is {@code []} (size 1).
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": dimension " + i + " is negative");
            }
            n *= dims[i];
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; a negative axis counts from the end ({@code -1} is the last). */
    public int dim(int axis) {
        int a = axis < 0 ? dims.length + axis : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return dims[a];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long size() {
        return size;
    }

    /** Product of the dimensions before {@code axis}. */
    public int sizeBefore(int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) n *= dims[i];
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    public int sizeAfter(int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** As {@code [128, 3, 28, 28]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
