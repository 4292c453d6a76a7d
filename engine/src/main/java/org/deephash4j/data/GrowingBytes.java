package org.deephash4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Bytes collected as they are read, in an array that doubles when full, so that a reader never
 * allocates much more than it has read: a header that claims 2^31 images costs nothing until the
 * images arrive. {@link #cap} is the most it may hold (at most {@link #MAX_ARRAY}, the largest Java
 * array); {@link #toArray} hands the array over without a copy when it is exactly full.
 */
final class GrowingBytes {
    /** The largest byte array every JVM allocates (a few header words below Integer.MAX_VALUE). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int FIRST = 1 << 16;

    private final long cap;
    private byte[] bytes;
    private int size;

    /** An empty buffer that will hold at most {@code cap} bytes; {@code expected} sizes the first array (0: unknown). */
    GrowingBytes(long cap, long expected) {
        if (cap < 0) throw new IllegalArgumentException("GrowingBytes: cap " + cap + " is negative");
        this.cap = Math.min(cap, MAX_ARRAY);
        this.bytes = new byte[(int) Math.min(this.cap, Math.min(Math.max(expected, 0), FIRST))];
    }

    long cap() {
        return cap;
    }

    int size() {
        return size;
    }

    /** True when {@code more} bytes still fit under the cap. */
    boolean fits(long more) {
        return size + more <= cap;
    }

    /** Appends {@code b[off, off + len)}; the caller has checked {@link #fits}. */
    void write(byte[] b, int off, int len) {
        if (!fits(len)) throw new IllegalStateException("GrowingBytes: " + (size + (long) len) + " bytes exceed the cap " + cap);
        ensure(size + len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /**
     * Reads from {@code in} until {@code n} more bytes have arrived or the stream ends; returns how many
     * arrived. A gzip stream cut short ({@link EOFException}) counts as the end.
     */
    long readFrom(InputStream in, long n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("GrowingBytes: cannot read " + n + " bytes");
        if (!fits(n)) throw new IllegalStateException("GrowingBytes: " + (size + n) + " bytes exceed the cap " + cap);
        long target = size + n;
        long start = size;
        try {
            while (size < target) {
                // Grow only when full: the array is at most twice what has arrived (or the first block).
                if (size == bytes.length) ensure(size + 1);
                int r = in.read(bytes, size, (int) Math.min(bytes.length - size, target - size));
                if (r < 0) break;
                size += r;
            }
        } catch (EOFException e) {
            // a gzip stream cut short ends here; the caller reports the missing bytes
        }
        return size - start;
    }

    /** The bytes collected; the internal array itself when it is exactly full. */
    byte[] toArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(long needed) {
        if (needed <= bytes.length) return;
        long grown = Math.max(needed, Math.max(FIRST, 2L * bytes.length));
        bytes = Arrays.copyOf(bytes, (int) Math.min(grown, cap));
    }
}
