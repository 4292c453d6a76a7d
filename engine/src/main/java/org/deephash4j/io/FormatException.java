package org.deephash4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as what it claims to be: says which file, which field and at which byte offset,
 * e.g. {@code codes.dhi: field 'magic' at byte 0: bad magic 0x..., expected "DH4JIDX" (deephash4j index file)}.
 * Every reader of the engine throws it (or its subclass {@link org.deephash4j.data.DatasetFormatException})
 * for a bad file; the command line reports it as a bad input file.
 */
public class FormatException extends IOException {
    private final transient Path path;
    private final String field;
    private final long offset;

    public FormatException(Path path, String field, long offset, String message) {
        super(path.getFileName() + ": field '" + field + "' at byte " + offset + ": " + message);
        this.path = path;
        this.field = field;
        this.offset = offset;
    }

    /** For subclasses that word the whole message themselves ({@code message} already names the file). */
    protected FormatException(String message, Path path, String field, long offset) {
        super(message);
        this.path = path;
        this.field = field;
        this.offset = offset;
    }

    public FormatException(Path path, String field, long offset, String message, Throwable cause) {
        this(path, field, offset, message);
        initCause(cause);
    }

    public Path path() {
        return path;
    }

    public String field() {
        return field;
    }

    /** The byte offset of the field in the file (of the uncompressed stream for a gzip file). */
    public long offset() {
        return offset;
    }
}
