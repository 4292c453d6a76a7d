package org.deephash4j.doctor;

import java.util.Arrays;

/**
 * Times a {@link HotPath.Workload}: runs it until {@code warmupSeconds} have passed (at least
 * once: the first run may compile kernels and fill caches), estimates the time of one run from
 * the last warm-up run, then times up to {@code reps} repetitions of as many runs as fill
 * {@code repSeconds} (at least one), each ended by {@link HotPath.Workload#finish()}, and
 * reports their median, lowest and highest rate. A slow device stops after the repetition that
 * takes the timed part past {@code budgetSeconds}, so one slow path cannot hold the run for
 * minutes (the report gives the repetitions done). Short and noisy by design: the doctor's
 * figures say whether a device is in the expected range; JMH (bench/) gives the careful ones.
 */
final class Stopwatch {
    private final double warmupSeconds;
    private final int reps;
    private final double repSeconds;
    private final double budgetSeconds;

    Stopwatch(double warmupSeconds, int reps, double repSeconds, double budgetSeconds) {
        if (reps < 1) throw new IllegalArgumentException("Stopwatch: reps = " + reps + ", expected >= 1");
        this.warmupSeconds = warmupSeconds;
        this.reps = reps;
        this.repSeconds = repSeconds;
        this.budgetSeconds = budgetSeconds;
    }

    /** The rates of {@code workload}; the cpuVector field is left NaN for the caller to fill. */
    TimingResult time(HotPath path, HotPath.Workload workload) {
        long begin = System.nanoTime();
        double perRun;
        do {
            long t0 = System.nanoTime();
            workload.run();
            workload.finish();
            perRun = seconds(t0);
        } while (seconds(begin) < warmupSeconds);
        int runs = (int) Math.max(1, Math.min(1_000_000, Math.ceil(repSeconds / Math.max(perRun, 1e-9))));
        double[] rates = new double[reps];
        int done = 0;
        long timed = System.nanoTime();
        while (done < reps && (done == 0 || seconds(timed) < budgetSeconds)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) workload.run();
            workload.finish();
            rates[done++] = workload.amountPerRun() * runs / seconds(t0);
        }
        double[] sorted = Arrays.copyOf(rates, done);
        Arrays.sort(sorted);
        double median = done % 2 == 1 ? sorted[done / 2] : (sorted[done / 2 - 1] + sorted[done / 2]) / 2;
        return new TimingResult(path.name(), path.unit(), median, sorted[0], sorted[done - 1], done, runs, Double.NaN, null);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
