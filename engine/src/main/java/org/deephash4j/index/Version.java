package org.deephash4j.index;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One version of an index as opened: its manifest, its segments' files and each segment's tombstones. Counted by
 * the {@link IndexSnapshot}s that use it and by the {@link CodeIndex} while it is current; the last to let go
 * releases its segments.
 */
final class Version {
    private final Manifest manifest;
    private final List<SegmentFiles> segments;
    private final List<Tombstones> tombstones;
    private final AtomicInteger references = new AtomicInteger(1);

    Version(Manifest manifest, List<SegmentFiles> segments, List<Tombstones> tombstones) {
        this.manifest = manifest;
        this.segments = List.copyOf(segments);
        this.tombstones = List.copyOf(tombstones);
    }

    Manifest manifest() {
        return manifest;
    }

    int bits() {
        return manifest.bits();
    }

    long generation() {
        return manifest.generation();
    }

    int segmentCount() {
        return segments.size();
    }

    SegmentFiles files(int i) {
        return segments.get(i);
    }

    Segment segment(int i) {
        return segments.get(i).segment();
    }

    Tombstones tombstones(int i) {
        return tombstones.get(i);
    }

    /** Live codes in segment i. */
    long live(int i) {
        return segment(i).size() - tombstones(i).deleted();
    }

    boolean retain() {
        while (true) {
            int r = references.get();
            if (r <= 0) return false;
            if (references.compareAndSet(r, r + 1)) return true;
        }
    }

    void release() {
        int r = references.decrementAndGet();
        if (r == 0) {
            for (SegmentFiles s : segments) s.release();
        } else if (r < 0) {
            throw new IllegalStateException("index version " + manifest.generation() + " released twice");
        }
    }
}
