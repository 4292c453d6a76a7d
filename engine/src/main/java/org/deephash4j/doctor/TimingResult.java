package org.deephash4j.doctor;

/**
 * The rate of one hot path on one device: the median, lowest and highest of {@code reps} timed
 * repetitions, and the CPU vector kernels' median for the same path (NaN when it could not be
 * measured: no Vector API, or the path has no CPU counterpart).
 *
 * @param path      the path's name
 * @param unit      the rate's unit
 * @param median    median rate over the repetitions
 * @param low       lowest rate
 * @param high      highest rate
 * @param reps      timed repetitions
 * @param runs      runs of the workload per repetition
 * @param cpuVector the CPU vector kernels' median rate for this path, or NaN
 * @param error     why the path could not be timed (then the rates are NaN), else null
 */
public record TimingResult(String path, String unit, double median, double low, double high, int reps, int runs,
                           double cpuVector, String error) {

    /** median / cpuVector, NaN when either is missing. */
    public double ratioToCpuVector() {
        return median / cpuVector;
    }

    public boolean failed() {
        return error != null;
    }

    static TimingResult failure(HotPath path, String error) {
        return new TimingResult(path.name(), path.unit(), Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN, error);
    }
}
