package org.deephash4j.index;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole file mapped read-only into a shared {@link Arena}, counted by the versions that use it: the mapping is
 * closed (unmapped) when the last one lets go, never while a search may still read it. Mapping costs no reading:
 * pages come in when touched, and processes mapping the same file share them through the page cache.
 */
final class MappedFile {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final AtomicInteger references = new AtomicInteger(1);

    private MappedFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    /** Maps {@code path}; the caller holds the first reference. */
    static MappedFile map(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = c.map(FileChannel.MapMode.READ_ONLY, 0, c.size(), arena);
            return new MappedFile(path, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    MemorySegment segment() {
        return segment;
    }

    /** Takes one more reference; false if the file is already unmapped. */
    boolean retain() {
        while (true) {
            int r = references.get();
            if (r <= 0) return false;
            if (references.compareAndSet(r, r + 1)) return true;
        }
    }

    /** Drops one reference; the last one unmaps the file. */
    void release() {
        int r = references.decrementAndGet();
        if (r == 0) {
            arena.close();
        } else if (r < 0) {
            throw new IllegalStateException(path + " released more often than retained");
        }
    }
}
