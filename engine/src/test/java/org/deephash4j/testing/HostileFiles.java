package org.deephash4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Measures what a reader costs on a hostile file: the bytes the calling thread allocates
 * ({@code com.sun.management.ThreadMXBean}, exact for single-threaded readers) and the FIFOs that
 * must not block it.
 */
public final class HostileFiles {
    private HostileFiles() {
    }

    /** Work whose cost is measured; it may throw anything. */
    @FunctionalInterface
    public interface Work {
        void run() throws Throwable;
    }

    /** What a run cost and how it ended (thrown is null when it returned). */
    public record Cost(long allocatedBytes, long nanos, Throwable thrown) {
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Runs {@code work} on this thread and returns the bytes it allocated, its time and what it threw. */
    public static Cost measure(Work work) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        Throwable thrown = null;
        try {
            work.run();
        } catch (Throwable t) {
            thrown = t;
        }
        return new Cost(THREADS.getCurrentThreadAllocatedBytes() - before, System.nanoTime() - t0, thrown);
    }

    /** Asserts that {@code cost} allocated at most {@code limit} bytes; {@code what} names the case. */
    public static void assertAllocatedAtMost(long limit, Cost cost, String what) {
        assertTrue(cost.allocatedBytes() <= limit, what + ": allocated " + cost.allocatedBytes() + " bytes, limit " + limit
                + " (outcome: " + cost.thrown() + ")");
    }

    /** Makes a FIFO at {@code path} with mkfifo, or skips the test where there is none. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return path;
        }
        boolean done = p.waitFor(10, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && p.exitValue() == 0, "mkfifo failed");
        return path;
    }
}
