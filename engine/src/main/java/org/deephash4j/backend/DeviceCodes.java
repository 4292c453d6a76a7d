package org.deephash4j.backend;

/**
 * Binary codes resident on a device, for exact Hamming search there ({@link Backend#uploadCodes}): n codes of
 * {@code bits} bits, rows 0..n-1. The host keeps the ids; the device answers in rows.
 *
 * <p>Queries are row-major packed codes ({@code search.BinaryCodes} layout, ceil(bits / 64) words per query).
 * {@code excluded} is null or a bit per row (bit i of word i / 64 set: row i is skipped: a deleted code, or one
 * outside an id filter). Both calls give exact integer answers, so any device agrees with the CPU exactly.
 */
public interface DeviceCodes extends AutoCloseable {
    int bits();

    int size();

    /** Adds to {@code hist[qi * (bits + 1) + d]} the number of rows not excluded at distance d from query qi. */
    void histogram(int[] hist, long[] queries, int queryCount, long[] excluded);

    /**
     * The rows not excluded within {@code bounds[qi]} of each query qi, in (distance, row) order: query qi's are
     * entries [offsets[qi], offsets[qi + 1]) of rows and distances.
     */
    Selection select(long[] queries, int queryCount, int[] bounds, long[] excluded);

    /** The answer of {@link #select}. */
    record Selection(int[] offsets, int[] rows, int[] distances) {
    }

    /** Releases the device memory. */
    @Override
    void close();
}
