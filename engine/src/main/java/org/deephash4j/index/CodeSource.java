package org.deephash4j.index;

/**
 * Codes to append to an index as one segment, read in blocks so that a segment larger than the heap can be
 * written: {@link CodeIndex#append(CodeSource)} calls {@link #read} with from = 0, count, 2 count, ... in order.
 * Ids must be strictly increasing over the whole source (a segment's rows are kept in id order, so that
 * (distance, row) order is (distance, id) order); {@link CodeBatch} sorts an in-memory batch for you.
 */
public interface CodeSource {
    /** Code length K, as the index has it. */
    int bits();

    /** Number of codes, 0..2^31 - 1. */
    int size();

    /** Whether every code has an int label (for example its class). */
    default boolean hasLabels() {
        return false;
    }

    /** Whether every code has a source string (for example the path of its image). */
    default boolean hasSources() {
        return false;
    }

    /** Floats of side features per code ({@code search.CoarseToFine}'s fine features), 0 for none. */
    default int featureDim() {
        return 0;
    }

    /**
     * Fills rows [from, from + count): {@code words[r * wordsPerCode + w]} (row-major, the {@code BinaryCodes}
     * layout, padding bits zero), {@code ids[r]}, and where present {@code labels[r]}, {@code sources[r]} and
     * {@code features[r * featureDim + j]}; the arrays of absent data are null.
     */
    void read(int from, int count, long[] words, long[] ids, int[] labels, String[] sources, float[] features);
}
