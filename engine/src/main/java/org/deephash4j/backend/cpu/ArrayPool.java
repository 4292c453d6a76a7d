package org.deephash4j.backend.cpu;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The arrays of closed {@link CpuStorage}s, kept by length and handed out again: zeroed by
 * {@link CpuBackend#allocate}, as they are by {@link CpuBackend#allocateForOverwrite} (a kernel's
 * output, which the kernel overwrites).
 *
 * <p>Why: a training step allocates the same tensors every step and closes them at its end (a
 * LeNet-hash step at batch 128 about 124 MB, ResNet-18's several hundred). A fresh {@code new
 * float[n]} is zeroed by the allocating thread alone while the kernels' other threads wait, and
 * arrays of megabytes are G1 "humongous" allocations that start a collection every few steps.
 * A reused array is zeroed by all threads ({@link #zero}) and is usually still in cache.
 *
 * <p>Only arrays of at least {@link #MIN_LENGTH} floats are kept (small ones are cheap to
 * allocate), at most {@link #PER_LENGTH} of each length, each through a {@link SoftReference}:
 * the collector clears them before it would run out of memory, so the pool never holds memory a
 * program needs. Safe because only {@link CpuBackend} touches a storage's array, within one call,
 * and a closed storage drops its array before giving it back here (a closed storage throws).
 */
final class ArrayPool {
    /** Floats an array must hold to be kept (256 KiB). */
    static final int MIN_LENGTH = 1 << 16;
    /** Arrays kept per length. */
    static final int PER_LENGTH = 64;
    /** Floats zeroed per task. */
    private static final int ZERO_CHUNK = 1 << 18;

    private final Map<Integer, ArrayDeque<SoftReference<float[]>>> free = new HashMap<>();

    /**
     * An array of exactly {@code length} floats: a kept one if there is one (zeroed when
     * {@code zeroed}, else with whatever it held), else a new one (zero).
     */
    float[] take(int length, boolean zeroed) {
        float[] kept = length >= MIN_LENGTH ? poll(length) : null;
        if (kept == null) {
            return new float[length];
        }
        if (zeroed) {
            zero(kept);
        }
        return kept;
    }

    /** Keeps an array no storage uses any more (see the class comment for which are kept). */
    synchronized void give(float[] array) {
        if (array.length < MIN_LENGTH) {
            return;
        }
        ArrayDeque<SoftReference<float[]>> arrays = free.computeIfAbsent(array.length, n -> new ArrayDeque<>());
        if (arrays.size() < PER_LENGTH) {
            arrays.push(new SoftReference<>(array));
        }
    }

    /** Arrays kept now (those the collector has not cleared); for tests. */
    synchronized int kept() {
        int count = 0;
        for (ArrayDeque<SoftReference<float[]>> arrays : free.values()) {
            for (SoftReference<float[]> ref : arrays) {
                if (ref.get() != null) count++;
            }
        }
        return count;
    }

    private synchronized float[] poll(int length) {
        ArrayDeque<SoftReference<float[]>> arrays = free.get(length);
        while (arrays != null && !arrays.isEmpty()) {
            float[] array = arrays.pop().get();
            if (array != null) {
                return array;
            }
        }
        return null;
    }

    /** array[i] = 0 for every i, in chunks over {@link CpuThreads}. */
    private static void zero(float[] array) {
        int chunks = (array.length + ZERO_CHUNK - 1) / ZERO_CHUNK;
        CpuThreads.forEach(chunks, c -> Arrays.fill(array, c * ZERO_CHUNK, Math.min(array.length, (c + 1) * ZERO_CHUNK), 0f));
    }
}
