package org.deephash4j.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The one thread pool of the CPU backend.
 *
 * <p>Sized once to {@code Runtime.availableProcessors()} (or {@code -Ddeephash.threads=N}); the
 * threads are daemons, so an application never has to shut it down. A kernel splits its
 * outermost independent dimension into a fixed list of tasks and calls {@link #forEach}: each
 * task writes its own output elements, so the result does not depend on which thread runs
 * which task. Sums that cross tasks are kept per task and added in task order by the caller
 * (never in completion order), so a seed gives the same bits on every run.
 *
 * <p>Tasks are handed out one at a time to whichever thread asks next (the caller included), and
 * the caller waits for the last task to finish, not for every helper to have started: on a core
 * shared with other work, a slowed thread simply takes fewer tasks, and a helper that has not
 * been scheduled at all costs nothing. Kernels therefore cut their work into several tasks per
 * thread.
 *
 * <p>Nested parallelism is refused, not queued: a {@link #forEach} called from inside a task
 * runs its tasks serially on the calling thread, so ops that call ops (conv calling GEMM)
 * never oversubscribe the cores.
 *
 * <p>A host that runs several engine calls side by side (a Spark executor runs one task per core)
 * caps each caller with {@link #limit}: inside the scope, {@link #threads()} and {@link #forEach}
 * use at most that many threads for the calling thread, exactly as a pool of that size would, so
 * the result is the one a {@code -Ddeephash.threads=N} run gives.
 */
public final class CpuThreads {
    private static final int THREADS = threadCount();
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final ThreadLocal<Integer> LIMIT = new ThreadLocal<>();   // null: no cap on this thread
    private static final ExecutorService POOL = THREADS > 1 ? Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "deephash-cpu");
        t.setDaemon(true);
        return t;
    }) : null;

    private CpuThreads() {
    }

    /** Number of threads a parallel kernel started by the calling thread uses (the caller counts as one). */
    public static int threads() {
        Integer limit = LIMIT.get();
        return limit == null ? THREADS : Math.min(THREADS, limit);
    }

    /**
     * Caps the parallel kernels started by the calling thread at {@code threads} threads (the pool's
     * size stays the cap when it is smaller) until the returned scope is closed; scopes nest, and
     * closing one restores the cap that was in force before it.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Limit limit(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("CpuThreads.limit: threads = " + threads + ", expected >= 1");
        }
        Limit scope = new Limit(LIMIT.get());
        LIMIT.set(threads);
        return scope;
    }

    /** A thread cap in force on one thread; {@link #close} restores the previous one. */
    public static final class Limit implements AutoCloseable {
        private final Integer previous;

        private Limit(Integer previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                LIMIT.remove();
            } else {
                LIMIT.set(previous);
            }
        }
    }

    /** True when the calling thread is already running a task of this pool. */
    public static boolean insideTask() {
        return INSIDE.get();
    }

    /**
     * Runs {@code task.accept(i)} for every i in [0, tasks), spread over the pool; returns when
     * all are done, rethrowing the first failure. Serial (in index order) when there is one
     * task, one thread, or the caller is itself a task of this pool.
     */
    public static void forEach(int tasks, IntConsumer task) {
        if (tasks <= 0) {
            return;
        }
        int threads = threads();
        if (tasks == 1 || threads == 1 || INSIDE.get()) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        Runnable worker = () -> {
            boolean was = INSIDE.get();
            INSIDE.set(Boolean.TRUE);
            try {
                for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                    try {
                        if (failure.get() == null) {
                            task.accept(i);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        if (finished.incrementAndGet() == tasks) {
                            LockSupport.unpark(caller);
                        }
                    }
                }
            } finally {
                INSIDE.set(was);
            }
        };
        int helpers = Math.min(threads, tasks) - 1;
        for (int h = 0; h < helpers; h++) {
            POOL.execute(worker);
        }
        worker.run();                                  // the caller works too
        // Wait for the tasks, not for the helpers: a helper that a busy core has not started yet
        // finds nothing left to do, and nobody waits for it.
        boolean interrupted = false;
        while (finished.get() < tasks) {
            LockSupport.park(CpuThreads.class);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private static int threadCount() {
        String value = System.getProperty("deephash.threads");
        if (value == null || value.isBlank()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("deephash.threads: got '" + value + "', expected an integer >= 1");
    }
}
