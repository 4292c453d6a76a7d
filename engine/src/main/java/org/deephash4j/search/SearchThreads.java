package org.deephash4j.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The one thread pool of the search package, sized once to the available processors (daemon threads).
 * A batch of queries is spread over {@code threads} workers (the caller is one of them); each worker takes
 * the next query index from a shared counter and writes that query's answer into its own slot, so the
 * result never depends on scheduling. A batch started from a pool thread runs serially: pools never nest.
 */
public final class SearchThreads {
    private static final int SIZE = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = Executors.newFixedThreadPool(SIZE, r -> {
        Thread t = new Worker(r);
        t.setDaemon(true);
        t.setName("deephash-search-" + t.threadId());
        return t;
    });

    private SearchThreads() {
    }

    /** Marker type of pool threads. */
    private static final class Worker extends Thread {
        Worker(Runnable r) {
            super(r);
        }
    }

    /** The default worker count: the number of available processors. */
    public static int defaultThreads() {
        return SIZE;
    }

    /**
     * Runs {@code body.get().accept(i)} for every i in [0, count), on up to {@code threads} workers; each worker
     * calls {@code body.get()} once (its scratch space) and then handles indices one at a time.
     */
    public static void forEach(int count, int threads, Supplier<IntConsumer> body) {
        if (threads < 1) throw new IllegalArgumentException("search: threads = " + threads + ", expected >= 1");
        int workers = Math.min(threads, count);
        if (workers <= 1 || Thread.currentThread() instanceof Worker) {
            IntConsumer one = body.get();
            for (int i = 0; i < count; i++) one.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            IntConsumer one = body.get();
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) one.accept(i);
        };
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) futures.add(POOL.submit(work));
        RuntimeException failure = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            failure = e;
            next.set(count);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("search interrupted", e);
            }
        }
        if (failure != null) throw failure;
    }
}
