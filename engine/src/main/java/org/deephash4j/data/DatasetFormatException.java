package org.deephash4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as what it claims to be: the message names the file, the field
 * and the byte offset (or line) where the problem is, what was found and what was expected, as
 * {@code train-images-idx3-ubyte: bad magic number 0x00000801 at byte 0, expected 0x00000803 (IDX image file)}.
 */
public final class DatasetFormatException extends IOException {
    private final Path path;

    public DatasetFormatException(Path path, String message) {
        super(name(path) + ": " + message);
        this.path = path;
    }

    /** The file at fault (may be null for a stream without a name). */
    public Path path() {
        return path;
    }

    static String name(Path path) {
        return path == null ? "<stream>" : path.toString();
    }
}
