package org.deephash4j.index;

import java.util.Locale;

/**
 * How a search of an index finds its answer; every method returns the same answer (brute force's, ties by id).
 * <ul>
 *   <li>{@link #AUTO}: per query and segment, whichever {@link CostModel} says is cheaper: multi-index probing
 *       (where the segment has tables), a linear scan, or, with a small id filter, reading just the filter's codes;
 *       probing that turns out dearer than the model thought stops and the segment is scanned.</li>
 *   <li>{@link #SCAN}: a linear scan of every segment (on the CPU with the Vector API, or on an OpenCL device).</li>
 *   <li>{@link #MIH}: multi-index probing wherever a segment has tables (a scan elsewhere); it falls back to a scan
 *       only where probing would cost more than {@link CostModel#FORCED_PROBING_LIMIT} scans.</li>
 * </ul>
 */
public enum SearchMethod {
    AUTO, SCAN, MIH;

    /** {@code auto}, {@code scan} or {@code mih} (any case). */
    public static SearchMethod parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "scan" -> SCAN;
            case "mih" -> MIH;
            default -> throw new IllegalArgumentException("search method '" + name + "': expected auto, scan or mih");
        };
    }
}
