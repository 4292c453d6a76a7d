package org.deephash4j.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by views and ops. */
final class Shapes {
    private Shapes() {
    }

    /** The shape {@code dims} asks for when reshaping {@code from}; one -1 is inferred. */
    static Shape resolve(Shape from, int[] dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + from + " to " + Arrays.toString(dims) + ": more than one -1");
                infer = i;
            } else if (d[i] < 0) {
                throw new IllegalArgumentException("reshape " + from + " to " + Arrays.toString(dims) + ": negative dimension");
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new IllegalArgumentException("reshape " + from + " to " + Arrays.toString(dims)
                        + ": " + from.size() + " elements do not divide into the given dimensions");
            }
            d[infer] = (int) (from.size() / known);
            known *= d[infer];
        }
        if (known != from.size()) {
            throw new IllegalArgumentException("reshape " + from + " (" + from.size() + " elements) to "
                    + Arrays.toString(dims) + " (" + known + " elements): sizes differ");
        }
        return Shape.of(d);
    }
}
