package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Closed storages' arrays come back (zeroed unless taken for overwrite), once, and only for storages of the same size. */
class ArrayPoolTest {
    private static final int N = ArrayPool.MIN_LENGTH + 3;

    @Test
    void aClosedStoragesArrayIsHandedOutAgainZeroed() {
        CpuBackend cpu = new CpuBackend(new ReferenceKernels());
        CpuStorage first = (CpuStorage) cpu.allocate(N);
        float[] array = first.array();
        cpu.fill(first, 7f, N);
        first.close();
        assertThrows(IllegalStateException.class, first::array, "a closed storage has no array");
        CpuStorage second = (CpuStorage) cpu.allocate(N);
        assertSame(array, second.array(), "the same length reuses the closed storage's array");
        assertArrayEquals(new float[N], second.array(), "and it comes back zeroed");
    }

    @Test
    void closingTwiceGivesTheArrayBackOnce() {
        CpuBackend cpu = new CpuBackend(new ReferenceKernels());
        CpuStorage storage = (CpuStorage) cpu.allocate(N);
        storage.close();
        storage.close();
        CpuStorage a = (CpuStorage) cpu.allocate(N);
        CpuStorage b = (CpuStorage) cpu.allocate(N);
        assertNotSame(a.array(), b.array(), "two open storages never share an array");
    }

    @Test
    void otherLengthsAndSmallArraysAreNotReused() {
        ArrayPool pool = new ArrayPool();
        float[] big = new float[N];
        pool.give(big);
        assertNotSame(big, pool.take(N + 1, true), "another length gets a new array");
        float[] small = new float[ArrayPool.MIN_LENGTH - 1];
        pool.give(small);
        assertEquals(1, pool.kept(), "small arrays are not kept");
        Arrays.fill(big, -2f);
        float[] again = pool.take(N, true);
        assertSame(big, again);
        assertArrayEquals(new float[N], again, "taken zeroed");
        assertEquals(0, pool.kept());
        pool.give(again);
        Arrays.fill(again, -2f);
        assertEquals(-2f, pool.take(N, false)[N - 1], "taken for overwrite: the old contents stay");
    }

    @Test
    void atMostPerLengthArraysAreKept() {
        ArrayPool pool = new ArrayPool();
        float[][] arrays = new float[ArrayPool.PER_LENGTH + 5][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new float[ArrayPool.MIN_LENGTH];
            pool.give(arrays[i]);
        }
        assertEquals(ArrayPool.PER_LENGTH, pool.kept());
    }
}
