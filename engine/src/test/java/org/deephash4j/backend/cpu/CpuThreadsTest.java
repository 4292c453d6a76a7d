package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The one pool: every task runs once, nesting runs serially on the caller, failures surface, a caller's cap holds. */
class CpuThreadsTest {
    @Test
    void runsEveryTaskExactlyOnce() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        CpuThreads.forEach(1000, runs::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
        assertFalse(CpuThreads.insideTask(), "the flag must be cleared after forEach");
    }

    @Test
    void nestedCallsRunSeriallyOnTheCallingThread() {
        AtomicIntegerArray wrongThread = new AtomicIntegerArray(64);
        CpuThreads.forEach(8, outer -> {
            assertTrue(CpuThreads.insideTask());
            Thread self = Thread.currentThread();
            CpuThreads.forEach(8, inner -> {
                if (Thread.currentThread() != self) {
                    wrongThread.incrementAndGet(outer * 8 + inner);
                }
            });
        });
        for (int i = 0; i < 64; i++) {
            assertEquals(0, wrongThread.get(i), "nested task " + i + " left its caller's thread");
        }
    }

    @Test
    void doesNotWaitForHelpersThatCannotStart() throws Exception {
        // Occupy every pool thread with tasks that block, then call forEach from this thread: its
        // helpers stay queued, so the caller must run all the tasks itself and return anyway.
        Assumptions.assumeTrue(CpuThreads.threads() > 1, "needs a pool (more than one thread)");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(CpuThreads.threads());
        Thread blocker = new Thread(() -> CpuThreads.forEach(CpuThreads.threads(), i -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        blocker.start();
        try {
            assertTrue(busy.await(30, java.util.concurrent.TimeUnit.SECONDS), "the pool threads never got busy");
            AtomicIntegerArray runs = new AtomicIntegerArray(40);
            java.util.concurrent.CompletableFuture<Void> call =
                    java.util.concurrent.CompletableFuture.runAsync(() -> CpuThreads.forEach(40, runs::incrementAndGet),
                            r -> new Thread(r).start());
            call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < 40; i++) {
                assertEquals(1, runs.get(i), "task " + i);
            }
        } finally {
            release.countDown();
            blocker.join(30_000);
        }
    }

    @Test
    void rethrowsTheFailureOfATask() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> CpuThreads.forEach(50, i -> {
                    if (i == 37) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertTrue(CpuThreads.threads() >= 1);
    }

    @Test
    void aLimitOfOneRunsEveryTaskOnTheCallingThread() {
        int poolSize = CpuThreads.threads();
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        try (CpuThreads.Limit ignored = CpuThreads.limit(1)) {
            assertEquals(1, CpuThreads.threads());
            CpuThreads.forEach(200, i -> used.add(Thread.currentThread()));
        }
        assertEquals(Set.of(Thread.currentThread()), used, "limit(1) must keep every task on the caller");
        assertEquals(poolSize, CpuThreads.threads(), "closing the scope must lift the cap");
    }

    @Test
    void limitsNestAndNeverExceedThePool() {
        int poolSize = CpuThreads.threads();
        try (CpuThreads.Limit outer = CpuThreads.limit(poolSize + 7)) {
            assertEquals(poolSize, CpuThreads.threads(), "a cap above the pool size leaves the pool size");
            try (CpuThreads.Limit inner = CpuThreads.limit(1)) {
                assertEquals(1, CpuThreads.threads());
            }
            assertEquals(poolSize, CpuThreads.threads(), "closing the inner scope restores the outer cap");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuThreads.limit(0));
        assertTrue(e.getMessage().contains("threads = 0"), e.getMessage());
    }

    @Test
    void aLimitOnOneThreadLeavesOthersAlone() throws InterruptedException {
        int poolSize = CpuThreads.threads();
        int[] seen = new int[1];
        try (CpuThreads.Limit ignored = CpuThreads.limit(1)) {
            Thread other = new Thread(() -> seen[0] = CpuThreads.threads());
            other.start();
            other.join();
        }
        assertEquals(poolSize, seen[0], "the cap belongs to the thread that set it");
    }
}
