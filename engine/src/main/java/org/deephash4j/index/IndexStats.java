package org.deephash4j.index;

/**
 * What one version of an index holds.
 *
 * @param bits         code length K
 * @param generation   the version's number (one more per change)
 * @param segments     number of segments
 * @param withTables   segments that have multi-index tables
 * @param rows         codes stored, deleted ones included
 * @param live         codes a search can find
 * @param deleted      codes marked deleted (rows - live), gone at the next compaction
 * @param bytes        bytes of the version's files on disk
 */
public record IndexStats(int bits, long generation, int segments, int withTables, long rows, long live, long deleted,
                         long bytes) {
}
