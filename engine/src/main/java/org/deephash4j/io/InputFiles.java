package org.deephash4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What every reader checks before it opens a file, and how it reports running out of memory:
 * <ul>
 * <li>{@link #requireRegularFile}: the file exists and is a regular file (following links). Opening a
 *     FIFO for reading blocks until a writer appears, and a device or a folder has no length, so the
 *     readers refuse them up front with a {@link FormatException}.</li>
 * <li>{@link #outOfMemory}: an {@link OutOfMemoryError} met while reading, re-thrown with the file in its
 *     message, so the command line can say what was being read.</li>
 * </ul>
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Returns the length of {@code path} after checking that it is a regular file; {@code what} names it in
     * messages ({@code "checkpoint file"}).
     *
     * @throws NoSuchFileException if it does not exist
     * @throws FormatException     if it is a folder, a FIFO, a device or a socket
     */
    public static long requireRegularFile(Path path, String what) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such " + what);
        if (!Files.isRegularFile(path)) {
            String kind = Files.isDirectory(path) ? "a folder" : "not a regular file (a FIFO, device or socket)";
            throw new FormatException(path, "file", 0, "is " + kind + "; expected a " + what);
        }
        return Files.size(path);
    }

    /** {@code e} again, its message naming {@code path}; the original error is the cause. */
    public static OutOfMemoryError outOfMemory(Path path, OutOfMemoryError e) {
        OutOfMemoryError named = new OutOfMemoryError("out of memory while reading " + path);
        named.initCause(e);
        return named;
    }
}
