package org.deephash4j.index;

/**
 * The cost model {@link SearchMethod#AUTO} chooses by, in nanoseconds on one thread. Measured on this project's
 * build machine (2-core AMD EPYC Zen 5, AVX-512 VPOPCNTQ, JDK 25; shared with other builds, load average about 10)
 * by {@code bench/.../IndexCostBenchmark} on an index of 1,000,000 64-bit codes with 3 tables of 22, 21 and 21 bits
 * (bench/RESULTS.md, "Code indexes on disk"): a scan costs {@link #SCAN_NS_PER_WORD} per code word (a radius-0 scan
 * of 10^6 random codes: 164 and 170 us); a probe {@link #PROBE_NS} (radius 4 against radius 3 on random codes, whose
 * buckets are nearly empty: 21 more probes, 2.2 us more); an entry read in a probed bucket {@link #ENTRY_NS}
 * (radius 0 on clustered codes, 324 entries of the query's cluster, against radius 0 on random codes: 1.9 to
 * 2.6 us more). {@link #LOOKUP_NS_PER_LEVEL}, one halving of a binary search in a mapped id column, is not measured:
 * it is taken as half a probe (a cache miss per level once the column is past the cache).
 *
 * <p>The model only has to order the alternatives, not predict times: a probing plan is also given a budget of one
 * scan, and when its real work (probes and entries read) passes the budget the segment is scanned instead, so a
 * wrong guess costs at most one scan more.
 */
final class CostModel {
    static final double SCAN_NS_PER_WORD = 0.17;
    static final double PROBE_NS = 105;
    static final double ENTRY_NS = 7;
    static final double LOOKUP_NS_PER_LEVEL = 50;
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
