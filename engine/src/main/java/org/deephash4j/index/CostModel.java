package org.deephash4j.index;

/**
 * The cost model {@link SearchMethod#AUTO} chooses by, in nanoseconds on one thread. The constants were measured
 * on this project's build machine (2-core AMD EPYC Zen 5, AVX-512 VPOPCNTQ, JDK 25) by
 * {@code bench/.../IndexCostBenchmark} (see bench/RESULTS.md, "Index cost model"): a scan of a mapped segment
 * costs about {@link #SCAN_NS_PER_WORD} per code word, a multi-index probe (one table lookup, usually a cache
 * miss) about {@link #PROBE_NS}, each table entry read in a probed bucket about {@link #ENTRY_NS}, and a lookup of
 * one id by binary search in a mapped id column about {@link #LOOKUP_NS_PER_LEVEL} per halving.
 *
 * <p>The model only has to order the alternatives, not predict times: a probing plan is also given a budget of one
 * scan, and when its real work (probes and entries read) passes the budget the segment is scanned instead, so a
 * wrong guess costs at most one scan more.
 */
final class CostModel {
    static final double SCAN_NS_PER_WORD = 0.16;
    static final double PROBE_NS = 20;
    static final double ENTRY_NS = 2;
    static final double LOOKUP_NS_PER_LEVEL = 8;
    /** {@link SearchMethod#MIH} probes up to this many scans' worth of work before it scans instead. */
    static final double FORCED_PROBING_LIMIT = 64;

    private CostModel() {
    }

    static double scan(long rows, int words) {
        return SCAN_NS_PER_WORD * rows * words;
    }

    static double probing(double probes, double entries) {
        return PROBE_NS * probes + ENTRY_NS * entries;
    }

    static double lookup(long ids, long rows) {
        return LOOKUP_NS_PER_LEVEL * ids * (64 - Long.numberOfLeadingZeros(Math.max(1, rows)));
    }
}
