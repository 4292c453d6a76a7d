package org.deephash4j.data;

import java.nio.file.Path;
import org.deephash4j.io.FormatException;

/**
 * A data file that cannot be read as what it claims to be: the message names the file, the field
 * and the byte offset (or line) where the problem is, what was found and what was expected, as
 * {@code train-images-idx3-ubyte: bad magic number 0x00000801 at byte 0, expected 0x00000803 (IDX image file)}.
 * It is a {@link FormatException}, so {@link #path()}, {@link #field()} and {@link #offset()} say the same
 * as the message.
 */
public final class DatasetFormatException extends FormatException {
    /**
     * @param field  the field at fault ({@code magic}, {@code pixels}, {@code line 3}, ...)
     * @param offset its byte offset in the file (of the uncompressed stream for gzip), 0 for the file as a whole
     */
    public DatasetFormatException(Path path, String field, long offset, String message) {
        super(name(path) + ": " + message, path, field, offset);
    }

    static String name(Path path) {
        return path == null ? "<stream>" : path.toString();
    }
}
