package org.deephash4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;
import org.deephash4j.search.BinaryCodes;

/**
 * A code index on disk: n binary codes of K bits with their ids and, optionally, a float feature row per code
 * (for {@link org.deephash4j.search.CoarseToFine}). Ids are unique.
 *
 * <p>Layout, little-endian (version 1):
 * <pre>
 * offset  size         field
 *  0      8            magic        "DH4JIDX" then 0x1A
 *  8      4            version      1
 * 12      4            bits         K >= 1
 * 16      8            n            number of codes, 0..2^31-1
 * 24      4            featureDim   0 when there are no features
 * 28      4            flags        0 (reserved)
 * 32      8            payloadBytes 8n + n*ceil(K/8) + 4*n*featureDim
 * 40      4            payloadCrc   CRC32C of the payload
 * 44      4            headerCrc    CRC32C of bytes 0..43
 * 48      8n           ids          int64
 *         n*ceil(K/8)  codes        numpy.packbits layout, MSB first, zero padding ({@link BinaryCodes})
 *         4*n*dim      features     float32, [n, featureDim] row-major (absent when featureDim = 0)
 * </pre>
 * {@link #write} goes through {@link AtomicFile} (temporary file, fsync, rename); {@link #read} validates every
 * field and throws {@link FormatException} naming the field and byte offset on a truncated file, a flipped byte,
 * a wrong magic or version. The whole file is read into memory (at most 2 GiB; a regular file only, so a FIFO
 * cannot block it), and every count is checked against its length before the ids and codes are allocated.
 */
public final class IndexFile {
    public static final int VERSION = 1;
    static final byte[] MAGIC = {'D', 'H', '4', 'J', 'I', 'D', 'X', 0x1A};
    static final int HEADER_BYTES = 48;

    private final BinaryCodes codes;
    private final float[] features;   // [n * featureDim], empty when featureDim = 0
    private final int featureDim;

    /** An index of codes only. */
    public IndexFile(BinaryCodes codes) {
        this(codes, new float[0], 0);
    }

    /**
     * An index of codes with features [n, featureDim] (featureDim 0: none).
     *
     * @throws IllegalArgumentException if the features do not match or ids repeat
     */
    public IndexFile(BinaryCodes codes, float[] features, int featureDim) {
        if (featureDim < 0 || (long) codes.size() * featureDim != features.length) {
            throw new IllegalArgumentException("IndexFile: " + features.length + " feature values for " + codes.size()
                    + " codes of featureDim " + featureDim + ", expected " + ((long) codes.size() * featureDim));
        }
        long duplicate = firstDuplicate(codes.ids());
        if (duplicate != NO_DUPLICATE) {
            throw new IllegalArgumentException("IndexFile: id " + duplicate + " appears twice (ids must be unique)");
        }
        this.codes = codes;
        this.features = features.clone();
        this.featureDim = featureDim;
    }

    private static final long NO_DUPLICATE = Long.MIN_VALUE;

    /** The smallest repeated id, or NO_DUPLICATE (Long.MIN_VALUE itself is checked apart). */
    private static long firstDuplicate(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) if (sorted[i] == sorted[i - 1]) return sorted[i];
        return NO_DUPLICATE;
    }

    public BinaryCodes codes() {
        return codes;
    }

    public boolean hasFeatures() {
        return featureDim > 0;
    }

    public int featureDim() {
        return featureDim;
    }

    /** A copy of the features [n, featureDim] (empty when there are none). */
    public float[] features() {
        return features.clone();
    }

    /** This index with {@code more} codes (and their features, same featureDim) appended; ids must stay unique. */
    public IndexFile add(BinaryCodes more, float[] moreFeatures) {
        if (more.bits() != codes.bits()) {
            throw new IllegalArgumentException("IndexFile.add: the index holds " + codes.bits()
                    + "-bit codes but the new codes have " + more.bits() + " bits");
        }
        if ((long) more.size() * featureDim != moreFeatures.length) {
            throw new IllegalArgumentException("IndexFile.add: " + moreFeatures.length + " feature values for "
                    + more.size() + " codes, expected featureDim " + featureDim + " per code");
        }
        float[] f = Arrays.copyOf(features, features.length + moreFeatures.length);
        System.arraycopy(moreFeatures, 0, f, features.length, moreFeatures.length);
        return new IndexFile(codes.concat(more), f, featureDim);
    }

    /** This index without the codes whose id is in {@code ids} (ids not present are ignored). */
    public IndexFile remove(long... ids) {
        Set<Long> drop = new HashSet<>();
        for (long id : ids) drop.add(id);
        int n = codes.size();
        int[] keep = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) if (!drop.contains(codes.id(i))) keep[kept++] = i;
        int[] rows = Arrays.copyOf(keep, kept);
        float[] f = new float[kept * featureDim];
        for (int i = 0; i < kept; i++) System.arraycopy(features, rows[i] * featureDim, f, i * featureDim, featureDim);
        return new IndexFile(codes.select(rows), f, featureDim);
    }

    /** Reads {@code path}, appends codes (and features), writes it back atomically. */
    public static IndexFile append(Path path, BinaryCodes more, float[] moreFeatures) throws IOException {
        IndexFile updated = read(path).add(more, moreFeatures);
        updated.write(path);
        return updated;
    }

    /** Reads {@code path}, removes the codes with these ids, writes it back atomically. */
    public static IndexFile remove(Path path, long... ids) throws IOException {
        IndexFile updated = read(path).remove(ids);
        updated.write(path);
        return updated;
    }

    private static long payloadBytes(long n, int bits, int featureDim) {
        return 8L * n + n * BinaryCodes.bytesFor(bits) + 4L * n * featureDim;
    }

    /** Writes this index to {@code path} atomically. */
    public void write(Path path) throws IOException {
        int n = codes.size();
        long payload = payloadBytes(n, codes.bits(), featureDim);
        if (HEADER_BYTES + payload > Integer.MAX_VALUE) {
            throw new IOException(path + ": index of " + (HEADER_BYTES + payload) + " bytes exceeds the 2 GiB limit");
        }
        ByteBuffer body = ByteBuffer.allocate((int) payload).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : codes.ids()) body.putLong(id);
        body.put(codes.toBytes());
        for (float v : features) body.putFloat(v);
        CRC32C payloadCrc = new CRC32C();
        payloadCrc.update(body.array(), 0, body.capacity());
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(VERSION).putInt(codes.bits()).putLong(n).putInt(featureDim).putInt(0)
                .putLong(payload).putInt((int) payloadCrc.getValue());
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(header.array(), 0, 44);
        header.putInt((int) headerCrc.getValue());
        AtomicFile.write(path, out -> {
            out.write(header.array());
            out.write(body.array());
        });
    }

    /** Reads and validates an index file. */
    public static IndexFile read(Path path) throws IOException {
        long size = InputFiles.requireRegularFile(path, "index file");
        if (size > Integer.MAX_VALUE) {
            throw new FormatException(path, "payload", HEADER_BYTES, "file of " + size
                    + " bytes exceeds the 2 GiB limit of this reader");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            if (bytes.length < MAGIC.length) {
                throw new FormatException(path, "magic", 0, "truncated at byte " + bytes.length + " of at least "
                        + HEADER_BYTES + " (empty or cut file)");
            }
            throw new FormatException(path, "magic", 0, "bad magic " + hex(bytes, 0, 8) + ", expected "
                    + hex(MAGIC, 0, 8) + " (\"DH4JIDX\\x1a\", a deephash4j index file)");
        }
        if (bytes.length < 12) truncated(path, "version", 8, bytes.length, HEADER_BYTES);
        int version = in.getInt(8);
        if (version != VERSION) {
            throw new FormatException(path, "version", 8, "version " + version + " is not supported; this reader "
                    + "reads version " + VERSION);
        }
        if (bytes.length < HEADER_BYTES) truncated(path, "header", bytes.length, bytes.length, HEADER_BYTES);
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(bytes, 0, 44);
        int storedHeaderCrc = in.getInt(44);
        if ((int) headerCrc.getValue() != storedHeaderCrc) {
            throw new FormatException(path, "headerCrc", 44, String.format("header checksum mismatch: stored 0x%08x, "
                    + "computed 0x%08x (the header is corrupted)", storedHeaderCrc, (int) headerCrc.getValue()));
        }
        int bits = in.getInt(12);
        long n = in.getLong(16);
        int featureDim = in.getInt(24);
        int flags = in.getInt(28);
        long payload = in.getLong(32);
        if (bits < 1) throw new FormatException(path, "bits", 12, "bits = " + bits + ", expected >= 1");
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new FormatException(path, "n", 16, "n = " + n + ", expected 0.." + Integer.MAX_VALUE);
        }
        if (featureDim < 0) {
            throw new FormatException(path, "featureDim", 24, "featureDim = " + featureDim + ", expected >= 0");
        }
        if (flags != 0) throw new FormatException(path, "flags", 28, "flags = " + flags + ", expected 0 (reserved)");
        long expectedPayload = payloadBytes(n, bits, featureDim);
        if (payload != expectedPayload) {
            throw new FormatException(path, "payloadBytes", 32, "payloadBytes = " + payload + " but " + n + " codes of "
                    + bits + " bits with featureDim " + featureDim + " need " + expectedPayload);
        }
        long total = HEADER_BYTES + payload;
        long idsAt = HEADER_BYTES;
        long codesAt = idsAt + 8 * n;
        long featuresAt = codesAt + n * BinaryCodes.bytesFor(bits);
        if (bytes.length < total) {
            String field = bytes.length < codesAt ? "ids" : bytes.length < featuresAt ? "codes" : "features";
            truncated(path, field, bytes.length, bytes.length, total);
        }
        if (bytes.length > total) {
            throw new FormatException(path, "payload", total, (bytes.length - total) + " unexpected bytes after the "
                    + "end of the index (" + total + " bytes expected)");
        }
        CRC32C payloadCrc = new CRC32C();
        payloadCrc.update(bytes, HEADER_BYTES, (int) payload);
        int storedPayloadCrc = in.getInt(40);
        if ((int) payloadCrc.getValue() != storedPayloadCrc) {
            throw new FormatException(path, "payloadCrc", 40, String.format("payload checksum mismatch: stored "
                    + "0x%08x, computed 0x%08x (the ids, codes or features are corrupted)", storedPayloadCrc,
                    (int) payloadCrc.getValue()));
        }
        int count = (int) n;
        long[] ids = new long[count];
        in.position((int) idsAt);
        for (int i = 0; i < count; i++) ids[i] = in.getLong();
        long duplicate = firstDuplicate(ids);
        if (duplicate != NO_DUPLICATE) {
            throw new FormatException(path, "ids", idsAt, "id " + duplicate + " appears twice (ids must be unique)");
        }
        byte[] codeBytes = Arrays.copyOfRange(bytes, (int) codesAt, (int) featuresAt);
        BinaryCodes codes;
        try {
            codes = BinaryCodes.fromBytes(codeBytes, bits, ids);
        } catch (IllegalArgumentException e) {
            throw new FormatException(path, "codes", codesAt, e.getMessage(), e);
        }
        float[] features = new float[count * featureDim];
        in.position((int) featuresAt);
        for (int i = 0; i < features.length; i++) features[i] = in.getFloat();
        return new IndexFile(codes, features, featureDim);
    }

    private static void truncated(Path path, String field, long offset, long got, long expected)
            throws FormatException {
        throw new FormatException(path, field, offset, "truncated at byte " + got + " of " + expected
                + " while reading '" + field + "'");
    }

    private static String hex(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder("0x");
        for (int i = from; i < to; i++) s.append(String.format("%02x", b[i] & 0xFF));
        return s.toString();
    }

    @Override
    public String toString() {
        return "IndexFile[" + codes.size() + " codes of " + codes.bits() + " bits, featureDim " + featureDim + "]";
    }
}
