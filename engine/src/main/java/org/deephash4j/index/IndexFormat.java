package org.deephash4j.index;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.deephash4j.io.AtomicFile;
import org.deephash4j.io.FormatException;

/**
 * What the files of an index folder (version 2) have in common: names, magic numbers, alignment, checksums and
 * the reads that never trust a size before checking it against the file.
 *
 * <pre>
 * MANIFEST                      the current version ({@link Manifest}); replaced by an atomic rename, last
 * LOCK                          held (FileChannel.lock) by the one process that changes the index
 * seg-N.dhseg                   segment N: codes, ids, side data ({@link SegmentFile})
 * seg-N.dhmih                   segment N's multi-index tables ({@link MultiIndexFile}), optional
 * seg-N-del-G.dhdel             segment N's tombstones as of generation G ({@link TombstoneFile}), optional
 * *.tmp                         a file being written; removed by the next change if a writer died
 * </pre>
 * Every file starts with an 8-byte magic and a 4-byte version, and its header carries a CRC32C. All integers are
 * little-endian; sections start at multiples of 64 bytes.
 */
final class IndexFormat {
    static final int VERSION = 2;
    static final String MANIFEST = "MANIFEST";
    static final String LOCK = "LOCK";
    static final Pattern SEGMENT = Pattern.compile("seg-(\\d+)\\.dhseg");
    static final Pattern MULTI_INDEX = Pattern.compile("seg-(\\d+)\\.dhmih");
    static final Pattern TOMBSTONES = Pattern.compile("seg-(\\d+)-del-(\\d+)\\.dhdel");
    static final Pattern TEMPORARY = Pattern.compile(".*\\.tmp");

    private IndexFormat() {
    }

    static String segmentName(long number) {
        return "seg-" + number + ".dhseg";
    }

    static String multiIndexName(long number) {
        return "seg-" + number + ".dhmih";
    }

    static String tombstoneName(long number, long generation) {
        return "seg-" + number + "-del-" + generation + ".dhdel";
    }

    /** True for every name an index folder's writer creates (so cleaning never touches a user's other files). */
    static boolean isIndexFile(String name) {
        for (Pattern p : new Pattern[] {SEGMENT, MULTI_INDEX, TOMBSTONES}) {
            Matcher m = p.matcher(name);
            if (m.matches()) return true;
        }
        return TEMPORARY.matcher(name).matches() && (name.startsWith(".MANIFEST") || name.startsWith("seg-")
                || name.startsWith(".seg-"));
    }

    static long align64(long offset) {
        return (offset + 63) & ~63L;
    }

    static int crc(byte[] bytes, int from, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, from, length);
        return (int) c.getValue();
    }

    /** CRC32C of {@code segment[from, from + length)}, read in slices of at most 1 GiB. */
    static int crc(MemorySegment segment, long from, long length) {
        CRC32C c = new CRC32C();
        long end = from + length;
        for (long at = from; at < end; ) {
            long n = Math.min(end - at, 1L << 30);
            c.update(segment.asSlice(at, n).asByteBuffer());
            at += n;
        }
        return (int) c.getValue();
    }

    static ByteBuffer little(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The first {@code length} bytes of {@code channel} (at most the file's size, which is checked first, so a size
     * claimed by nothing never becomes an allocation).
     */
    static byte[] readPrefix(Path path, FileChannel channel, int length, String field) throws IOException {
        long size = channel.size();
        if (size < length) {
            throw new FormatException(path, field, size, "truncated at byte " + size + " of at least " + length
                    + " while reading '" + field + "'");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                throw new FormatException(path, field, buffer.position(), "truncated while reading '" + field + "'");
            }
        }
        return buffer.array();
    }

    static void checkMagic(Path path, byte[] header, byte[] magic, String what) throws FormatException {
        if (!Arrays.equals(header, 0, magic.length, magic, 0, magic.length)) {
            throw new FormatException(path, "magic", 0, "bad magic " + hex(header, 0, magic.length) + ", expected "
                    + hex(magic, 0, magic.length) + " (" + what + ")");
        }
    }

    static void checkVersion(Path path, ByteBuffer header) throws FormatException {
        int version = header.getInt(8);
        if (version != VERSION) {
            throw new FormatException(path, "version", 8, "version " + version + " is not supported; this reader "
                    + "reads version " + VERSION);
        }
    }

    static void checkCrc(Path path, byte[] bytes, int from, int length, int crcAt, String field) throws FormatException {
        int stored = little(bytes).getInt(crcAt);
        int computed = crc(bytes, from, length);
        if (stored != computed) {
            throw new FormatException(path, field, crcAt, String.format("checksum mismatch: stored 0x%08x, computed "
                    + "0x%08x (bytes %d..%d are corrupted)", stored, computed, from, from + length - 1));
        }
    }

    static String hex(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder("0x");
        for (int i = from; i < to; i++) s.append(String.format("%02x", b[i] & 0xFF));
        return s.toString();
    }

    /**
     * Writes {@code bytes} over {@code target} atomically ({@link AtomicFile}: a temporary file beside it, forced, renamed
     * over it, the folder forced; the mode of the file it replaces kept). Its temporary name starts with a dot and the
     * target's name and ends in {@code .tmp}, which {@link #TEMPORARY} cleans up after a killed change.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFile.write(target, out -> out.write(bytes));
    }
}
