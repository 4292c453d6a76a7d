package org.deephash4j.search;

import java.util.Arrays;
import org.deephash4j.tensor.Tensor;

/**
 * n binary codes of {@code bits} bits each (K in the paper; any K >= 1), packed into {@code long[]},
 * with one {@code long} id per row.
 *
 * <p>Bit order (fixed, so codes can be exchanged with numpy and other engines): a code is the bit string
 * b_0 b_1 ... b_{bits-1}, where b_j = 1 means the network output j was +1 (sign >= 0, or above the threshold).
 * Its bytes are {@code numpy.packbits(b)}: byte j / 8 holds b_j at bit {@code 7 - j % 8} (most significant bit
 * first), the last byte zero-padded. Its words are those bytes read big-endian, eight per {@code long}: word
 * j / 64 holds b_j at bit {@code 63 - j % 64}, and every bit past {@code bits} is zero. Row i occupies
 * {@code words()[i * wordsPerCode, (i + 1) * wordsPerCode)}.
 *
 * <p>The Hamming distance d_H(a, b) = popcount(a XOR b) = (K - a.b) / 2 for the ±1 vectors a, b.
 * Instances are immutable; the arrays handed out by {@link #words()} and {@link #ids()} are copies.
 */
public final class BinaryCodes {
    private final int bits;
    private final int wordsPerCode;
    private final int size;
    private final long[] data;   // [size * wordsPerCode], row-major
    private final long[] ids;    // [size]
    private final boolean idsAscending;

    private BinaryCodes(int bits, int size, long[] data, long[] ids) {
        this.bits = bits;
        this.wordsPerCode = wordsFor(bits);
        this.size = size;
        this.data = data;
        this.ids = ids;
        boolean ascending = true;
        for (int i = 1; i < size && ascending; i++) ascending = ids[i - 1] < ids[i];
        this.idsAscending = ascending;
    }

    /** Number of {@code long} words per code: ceil(bits / 64). */
    public static int wordsFor(int bits) {
        return (bits + 63) >>> 6;
    }

    /** Number of bytes per code in the packbits layout: ceil(bits / 8). */
    public static int bytesFor(int bits) {
        return (bits + 7) >>> 3;
    }

    /**
     * Codes from packed words (layout in the class javadoc) with ids 0..n-1. The array is copied.
     *
     * @throws IllegalArgumentException if the length is not a multiple of wordsFor(bits) or padding bits are set
     */
    public static BinaryCodes fromWords(int bits, long[] words) {
        checkBits("fromWords", bits);
        int w = wordsFor(bits);
        if (words.length % w != 0) {
            throw new IllegalArgumentException("BinaryCodes.fromWords: " + words.length + " words is not a multiple of "
                    + w + " words per " + bits + "-bit code");
        }
        int n = words.length / w;
        return fromWords(bits, words, sequentialIds(n));
    }

    /** Codes from packed words with the given ids (one per row). Arrays are copied. */
    public static BinaryCodes fromWords(int bits, long[] words, long[] ids) {
        checkBits("fromWords", bits);
        int w = wordsFor(bits);
        if ((long) ids.length * w != words.length) {
            throw new IllegalArgumentException("BinaryCodes.fromWords: " + words.length + " words for " + ids.length
                    + " ids, expected " + ((long) ids.length * w) + " (" + w + " words per " + bits + "-bit code)");
        }
        long pad = padMask(bits);
        for (int i = 0; i < ids.length; i++) {
            if ((words[i * w + w - 1] & pad) != 0) {
                throw new IllegalArgumentException("BinaryCodes.fromWords: row " + i + " has bits set past bit "
                        + bits + " (padding bits must be zero)");
            }
        }
        return new BinaryCodes(bits, ids.length, words.clone(), ids.clone());
    }

    /**
     * Codes from network outputs by sign: bit j = 1 iff {@code values[i * bits + j] >= 0} (exactly 0 maps to +1,
     * METHODS.md 6.6). {@code values} is [n, bits] row-major; NaN is rejected.
     */
    public static BinaryCodes fromSigns(float[] values, int bits) {
        return fromThreshold(values, bits, 0f, true);
    }

    /**
     * Codes from a network output tensor [n, bits] by sign (>= 0 is +1); the tensor is copied to the host.
     *
     * @throws IllegalArgumentException if the tensor is not two-dimensional
     */
    public static BinaryCodes fromSigns(Tensor outputs) {
        return fromSigns(hostValues("fromSigns", outputs), outputs.dim(1));
    }

    /** Codes from a network output tensor [n, bits] by threshold (> threshold is +1). */
    public static BinaryCodes fromThreshold(Tensor outputs, float threshold) {
        return fromThreshold(hostValues("fromThreshold", outputs), outputs.dim(1), threshold);
    }

    private static float[] hostValues(String op, Tensor outputs) {
        if (outputs.rank() != 2) {
            throw new IllegalArgumentException("BinaryCodes." + op + ": outputs " + outputs.shape()
                    + " must be [n, bits]");
        }
        return outputs.toArray();
    }

    /**
     * Codes from outputs by threshold: bit j = 1 iff {@code values[i * bits + j] > threshold}
     * (DLBHC: sigmoid activation > 0.5). {@code values} is [n, bits] row-major.
     */
    public static BinaryCodes fromThreshold(float[] values, int bits, float threshold) {
        return fromThreshold(values, bits, threshold, false);
    }

    private static BinaryCodes fromThreshold(float[] values, int bits, float threshold, boolean inclusive) {
        checkBits("fromThreshold", bits);
        if (values.length % bits != 0) {
            throw new IllegalArgumentException("BinaryCodes: " + values.length + " values is not [n, " + bits + "]");
        }
        int n = values.length / bits;
        int w = wordsFor(bits);
        long[] data = new long[n * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < bits; j++) {
                float v = values[i * bits + j];
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException("BinaryCodes: value [" + i + ", " + j + "] is NaN");
                }
                if (inclusive ? v >= threshold : v > threshold) {
                    data[i * w + (j >>> 6)] |= 1L << (63 - (j & 63));
                }
            }
        }
        return new BinaryCodes(bits, n, data, sequentialIds(n));
    }

    /** Codes from packbits bytes [n, ceil(bits / 8)] (MSB first, zero padding), ids 0..n-1. */
    public static BinaryCodes fromBytes(byte[] bytes, int bits) {
        checkBits("fromBytes", bits);
        int bpc = bytesFor(bits);
        if (bytes.length % bpc != 0) {
            throw new IllegalArgumentException("BinaryCodes.fromBytes: " + bytes.length + " bytes is not a multiple of "
                    + bpc + " bytes per " + bits + "-bit code");
        }
        return fromBytes(bytes, bits, sequentialIds(bytes.length / bpc));
    }

    /** Codes from packbits bytes with the given ids. */
    public static BinaryCodes fromBytes(byte[] bytes, int bits, long[] ids) {
        checkBits("fromBytes", bits);
        int bpc = bytesFor(bits);
        int w = wordsFor(bits);
        if ((long) ids.length * bpc != bytes.length) {
            throw new IllegalArgumentException("BinaryCodes.fromBytes: " + bytes.length + " bytes for " + ids.length
                    + " ids, expected " + ((long) ids.length * bpc) + " (" + bpc + " bytes per " + bits + "-bit code)");
        }
        long[] data = new long[ids.length * w];
        for (int i = 0; i < ids.length; i++) {
            for (int b = 0; b < bpc; b++) {
                long v = bytes[i * bpc + b] & 0xFFL;
                data[i * w + (b >>> 3)] |= v << (56 - 8 * (b & 7));
            }
        }
        return fromWords(bits, data, ids);
    }

    /** The codes as packbits bytes [n, ceil(bits / 8)]. */
    public byte[] toBytes() {
        int bpc = bytesFor(bits);
        byte[] out = new byte[size * bpc];
        for (int i = 0; i < size; i++) {
            for (int b = 0; b < bpc; b++) {
                out[i * bpc + b] = (byte) (data[i * wordsPerCode + (b >>> 3)] >>> (56 - 8 * (b & 7)));
            }
        }
        return out;
    }

    /** The codes as ±1 floats [n, bits] (bit 1 -> +1, bit 0 -> -1). */
    public float[] toSigns() {
        float[] out = new float[size * bits];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < bits; j++) out[i * bits + j] = bit(i, j) ? 1f : -1f;
        }
        return out;
    }

    /** The same codes with new ids (one per row). */
    public BinaryCodes withIds(long[] newIds) {
        if (newIds.length != size) {
            throw new IllegalArgumentException("BinaryCodes.withIds: " + newIds.length + " ids for " + size + " codes");
        }
        return new BinaryCodes(bits, size, data, newIds.clone());
    }

    /** These codes followed by {@code other}'s (same bit length). */
    public BinaryCodes concat(BinaryCodes other) {
        if (other.bits != bits) {
            throw new IllegalArgumentException("BinaryCodes.concat: " + other.bits + "-bit codes cannot join "
                    + bits + "-bit codes");
        }
        long[] d = Arrays.copyOf(data, data.length + other.data.length);
        System.arraycopy(other.data, 0, d, data.length, other.data.length);
        long[] id = Arrays.copyOf(ids, size + other.size);
        System.arraycopy(other.ids, 0, id, size, other.size);
        return new BinaryCodes(bits, size + other.size, d, id);
    }

    /** The rows {@code rows[0], rows[1], ...} in that order, with their ids. */
    public BinaryCodes select(int[] rows) {
        long[] d = new long[rows.length * wordsPerCode];
        long[] id = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            checkRow(rows[i]);
            System.arraycopy(data, rows[i] * wordsPerCode, d, i * wordsPerCode, wordsPerCode);
            id[i] = ids[rows[i]];
        }
        return new BinaryCodes(bits, rows.length, d, id);
    }

    public int bits() {
        return bits;
    }

    public int wordsPerCode() {
        return wordsPerCode;
    }

    /** Number of codes n. */
    public int size() {
        return size;
    }

    public long id(int row) {
        checkRow(row);
        return ids[row];
    }

    /** A copy of the ids. */
    public long[] ids() {
        return ids.clone();
    }

    /** A copy of the packed words [n * wordsPerCode]. */
    public long[] words() {
        return data.clone();
    }

    /** Word w of row i. */
    public long word(int row, int w) {
        checkRow(row);
        return data[row * wordsPerCode + w];
    }

    /** Bit j of row i (true means +1). */
    public boolean bit(int row, int j) {
        checkRow(row);
        if (j < 0 || j >= bits) throw new IndexOutOfBoundsException("bit " + j + " of a " + bits + "-bit code");
        return (data[row * wordsPerCode + (j >>> 6)] >>> (63 - (j & 63)) & 1L) != 0;
    }

    /** Row {@code row} as a one-row {@code BinaryCodes} (a query). */
    public BinaryCodes row(int row) {
        return select(new int[] {row});
    }

    /** Hamming distance between row i of this and row j of {@code other} (same bits). */
    public int distance(int i, BinaryCodes other, int j) {
        requireSameBits("distance", other);
        checkRow(i);
        other.checkRow(j);
        return ReferenceHamming.distance(data, i * wordsPerCode, other.data, j * other.wordsPerCode, wordsPerCode);
    }

    /** The backing array, shared (package-private: search kernels read it; nobody writes it). */
    long[] data() {
        return data;
    }

    long[] idArray() {
        return ids;
    }

    /** True when ids strictly increase with the row, so row order is id order. */
    boolean idsAscending() {
        return idsAscending;
    }

    /** @throws IllegalArgumentException naming the op when {@code other} has another bit length */
    void requireSameBits(String op, BinaryCodes other) {
        if (other.bits != bits) {
            throw new IllegalArgumentException(op + ": the index holds " + bits + "-bit codes but the query has "
                    + other.bits + " bits");
        }
    }

    private void checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size + " codes");
        }
    }

    private static void checkBits(String op, int bits) {
        if (bits < 1) throw new IllegalArgumentException("BinaryCodes." + op + ": bits = " + bits + ", expected >= 1");
    }

    /** Mask of the unused low bits of a code's last word. */
    static long padMask(int bits) {
        int used = bits & 63;
        return used == 0 ? 0L : -1L >>> used;
    }

    static long[] sequentialIds(int n) {
        long[] id = new long[n];
        for (int i = 0; i < n; i++) id[i] = i;
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryCodes c && c.bits == bits && Arrays.equals(c.data, data) && Arrays.equals(c.ids, ids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * bits + Arrays.hashCode(data)) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "BinaryCodes[" + size + " x " + bits + " bits]";
    }
}
