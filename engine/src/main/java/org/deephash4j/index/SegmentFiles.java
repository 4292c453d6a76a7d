package org.deephash4j.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.DeviceCodes;
import org.deephash4j.io.FormatException;
import org.deephash4j.search.MappedMultiIndex;

/**
 * The files of one segment as one opened unit, shared by every version that contains the segment and counted by
 * them: the mapped segment, its multi-index tables (mapped at first use, then kept), and copies of its codes on
 * devices (made at first use). The last version to let go unmaps the files and frees the device memory.
 */
final class SegmentFiles {
    private final long number;
    private final Path folder;
    private final MappedFile file;
    private final Segment segment;
    private final int substrings;
    private final AtomicInteger references = new AtomicInteger(1);
    private MappedFile tablesFile;
    private MappedMultiIndex tables;
    private final Map<Backend, DeviceCodes> deviceCodes = new IdentityHashMap<>();
    private boolean released;

    private SegmentFiles(long number, Path folder, MappedFile file, Segment segment, int substrings) {
        this.number = number;
        this.folder = folder;
        this.file = file;
        this.segment = segment;
        this.substrings = substrings;
    }

    /**
     * Maps segment {@code entry.number()} and its tables file (mapping reads nothing; the tables are checked at
     * first use, but mapped now, so that a version keeps them even if a later change removes the file), and checks
     * the segment against its manifest entry.
     */
    static SegmentFiles open(Path folder, int bits, Manifest.Entry entry) throws IOException {
        Path path = folder.resolve(IndexFormat.segmentName(entry.number()));
        MappedFile file = MappedFile.map(path);
        MappedFile tablesFile = null;
        try {
            Segment segment = Segment.of(path, file.segment());
            if (segment.bits() != bits || segment.size() != entry.rows() || (entry.rows() > 0
                    && (segment.minId() != entry.minId() || segment.maxId() != entry.maxId()))) {
                throw new FormatException(path, "n", 16, "segment of " + segment.size() + " codes of " + segment.bits()
                        + " bits, ids " + segment.minId() + ".." + segment.maxId() + ", but the manifest says "
                        + entry.rows() + " codes of " + bits + " bits, ids " + entry.minId() + ".." + entry.maxId());
            }
            if (entry.substrings() > 0) tablesFile = MappedFile.map(folder.resolve(IndexFormat.multiIndexName(
                    entry.number())));
            SegmentFiles f = new SegmentFiles(entry.number(), folder, file, segment, entry.substrings());
            f.tablesFile = tablesFile;
            return f;
        } catch (IOException | RuntimeException e) {
            if (tablesFile != null) tablesFile.release();
            file.release();
            throw e;
        }
    }

    /** A segment whose file (and tables, may be null) are already mapped: a version-1 index's temporary copy. */
    static SegmentFiles of(long number, Path folder, MappedFile file, Segment segment, MappedFile tablesFile,
                           MappedMultiIndex tables) {
        SegmentFiles f = new SegmentFiles(number, folder, file, segment, 0);
        f.tablesFile = tablesFile;
        f.tables = tables;
        return f;
    }

    long number() {
        return number;
    }

    Segment segment() {
        return segment;
    }

    int substrings() {
        return substrings;
    }

    boolean hasTables() {
        return substrings > 0 || tables != null;
    }

    /** The multi-index tables, checked at first use; null when the segment has none. */
    synchronized MappedMultiIndex tables() throws IOException {
        if (tables != null || substrings == 0) return tables;
        tables = MultiIndexFile.open(tablesFile.path(), tablesFile.segment(), segment, substrings);
        return tables;
    }

    /** Reads every byte of the segment and its tables and checks their checksums. */
    void verify() throws IOException {
        segment.verify();
        if (substrings > 0) {
            tables();
            MultiIndexFile.verify(tablesFile.path(), tablesFile.segment());
        }
    }

    /** The codes on {@code device}, copied at first use; empty when the device has no Hamming kernels. */
    synchronized java.util.Optional<DeviceCodes> deviceCodes(Backend device) {
        DeviceCodes d = deviceCodes.get(device);
        if (d == null) {
            java.util.Optional<DeviceCodes> made = device.uploadCodes(segment.bits(), segment.codes(), segment.size());
            if (made.isEmpty()) return made;
            d = made.get();
            deviceCodes.put(device, d);
        }
        return java.util.Optional.of(d);
    }

    boolean retain() {
        while (true) {
            int r = references.get();
            if (r <= 0) return false;
            if (references.compareAndSet(r, r + 1)) return true;
        }
    }

    void release() {
        if (references.decrementAndGet() != 0) return;
        synchronized (this) {
            if (released) return;
            released = true;
            for (DeviceCodes d : deviceCodes.values()) d.close();
            deviceCodes.clear();
            if (tablesFile != null) tablesFile.release();
            file.release();
        }
    }
}
