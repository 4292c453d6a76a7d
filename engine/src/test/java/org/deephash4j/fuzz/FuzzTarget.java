package org.deephash4j.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * One reader under fuzzing: its valid seed files, how a mutant is finished (gzipped, say) and laid out on
 * disk, the call that reads it, and the memory it may use beyond the rule's small multiple of the input.
 *
 * @param name       names the target in messages and in the corpus folder
 * @param seeds      valid inputs the mutants start from
 * @param finish     turns a mutant into the bytes written (identity, or gzip for some); may use the random
 * @param install    writes the bytes under a fresh folder and returns the path the reader is given
 * @param read       the reader; it may return or throw a FormatException, nothing else
 * @param extraBytes memory allowed beyond the rule for a documented cap (the image pixel limit), or for the
 *                   files an input names (a list file's images)
 */
record FuzzTarget(String name, List<byte[]> seeds, Finisher finish, Installer install, Reader read, Extra extraBytes) {
    @FunctionalInterface
    interface Finisher {
        byte[] apply(byte[] mutant, Random random) throws IOException;
    }

    @FunctionalInterface
    interface Installer {
        Path install(Path dir, byte[] bytes) throws IOException;
    }

    @FunctionalInterface
    interface Extra {
        long of(byte[] input);
    }

    @FunctionalInterface
    interface Reader {
        void read(Path path) throws Exception;
    }

    /** No allocation beyond this multiple of the bytes a reader could read, plus {@link #FIXED_BYTES} and the target's cap. */
    static final int MULTIPLE = 16;
    /** Buffers, class loading and the first-use costs of the JDK's decoders. */
    static final long FIXED_BYTES = 8L << 20;

    /** The bytes a reader can read from {@code bytes}: its length, or the inflated length of gzip data when larger. */
    static long readableBytes(byte[] bytes) {
        long n = bytes.length;
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            long inflated = 0;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0 && inflated < (1L << 30)) inflated += r;
            } catch (IOException | RuntimeException e) {
                // what inflated before the error is what a reader can read
            }
            n = Math.max(n, inflated);
        }
        return n;
    }

    /** The allocation the rule allows for an input of {@code bytes}. */
    long allowance(byte[] bytes) {
        return MULTIPLE * readableBytes(bytes) + FIXED_BYTES + extraBytes.of(bytes);
    }
}
