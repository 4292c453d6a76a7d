package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The one pool: every task runs once, nesting runs serially on the caller, failures surface. */
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
}
