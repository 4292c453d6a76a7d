package org.deephash4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The training progress line: epoch, step, loss, images per second and the estimated time left.
 * On a terminal the line is rewritten in place (carriage return) at most every 0.25 s; in a log
 * file (standard error redirected) a full line is written every 10 % of an epoch or 30 s, so the
 * log stays readable. {@code DEEPHASH_PROGRESS=line|tty|off} forces a mode.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean tty;
    private final boolean off;
    private final long start = System.nanoTime();
    private long lastPrint;
    private int lastBucket = -1;
    private boolean dirty;

    public Progress(PrintStream out) {
        this(out, System.getenv("DEEPHASH_PROGRESS"));
    }

    /** With the mode given ({@code line}, {@code tty}, {@code off}; null: a terminal gets tty), as the tests need. */
    Progress(PrintStream out, String mode) {
        this.out = out;
        this.off = "off".equals(mode);
        this.tty = mode == null ? System.console() != null && System.console().isTerminal() : "tty".equals(mode);
    }

    /**
     * Reports that {@code doneSteps} of {@code totalSteps} steps are finished (step in epoch
     * {@code step} of {@code stepsPerEpoch}), with the latest loss and the images seen so far.
     */
    public void update(int epoch, int epochs, int step, int stepsPerEpoch, long doneSteps, long totalSteps, double loss,
                       long images, long firstStepDone) {
        if (off) return;
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        int bucket = (int) (10L * step / Math.max(1, stepsPerEpoch));
        boolean print;
        if (tty) {
            print = now - lastPrint > 250_000_000L || step == stepsPerEpoch;
        } else {
            print = bucket != lastBucket || now - lastPrint > 30_000_000_000L || step == stepsPerEpoch;
        }
        if (!print) return;
        lastPrint = now;
        lastBucket = bucket;
        double rate = images / Math.max(seconds, 1e-9);
        long stepsRun = doneSteps - firstStepDone;
        double eta = stepsRun <= 0 ? Double.NaN : seconds / stepsRun * (totalSteps - doneSteps);
        String line = String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f  %.0f images/s  ETA %s",
                epoch, epochs, step, stepsPerEpoch, loss, rate, duration(eta));
        if (tty) {
            out.print("\r" + line + "\033[K");
            dirty = true;
            if (step == stepsPerEpoch) {
                out.println();
                dirty = false;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Prints a message on its own line (ends a pending in-place line first). */
    public void message(String text) {
        if (dirty) {
            out.println();
            dirty = false;
        }
        out.println(text);
        out.flush();
    }

    /** As {@code 1m05s} ({@code ?} when unknown). */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) return "?";
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
