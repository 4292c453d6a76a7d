package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.UnaryOp;
import org.junit.jupiter.api.Test;

/** CpuBackend through the {@link Backend} interface: memory, ownership and closed-storage checks, delegation. */
class CpuBackendTest {
    private final Backend cpu = new CpuBackend(new ReferenceKernels());

    @Test
    void backendsCpuFindsThisClass() {
        Backend backend = Backends.cpu();
        assertTrue(backend instanceof CpuBackend, "Backends.cpu() gave " + backend);
        assertEquals("cpu", backend.name());
        assertSame(backend, Backends.get("CPU"), "the CPU backend is opened once and shared");
        assertTrue(backend.deviceName().matches("CPU \\(\\d+ threads\\), (reference|vector) kernels"),
                backend.deviceName());
    }

    @Test
    void allocateGivesZeros() {
        Storage s = cpu.allocate(7);
        assertEquals(7, s.size());
        assertSame(cpu, s.backend());
        float[] out = new float[7];
        java.util.Arrays.fill(out, 5f);
        cpu.copyOut(out, 0, s, 0, 7);
        assertArrayEquals(new float[7], out);
        assertThrows(IllegalArgumentException.class, () -> cpu.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> cpu.allocate(1L << 33));
        assertEquals(0, cpu.allocate(0).size());
    }

    @Test
    void copyInAndOutHonourOffsets() {
        Storage s = cpu.allocate(10);
        cpu.copyIn(s, 3, new float[] {9, 1, 2, 3, 9}, 1, 3);
        float[] out = new float[12];
        cpu.copyOut(out, 2, s, 0, 10);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0}, out);
        float[] part = new float[2];
        cpu.copyOut(part, 0, s, 4, 2);
        assertArrayEquals(new float[] {2, 3}, part);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.copyIn(s, 8, new float[3], 0, 3));
        assertTrue(e.getMessage().contains("copyIn") && e.getMessage().contains("[8, 11)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cpu.copyOut(new float[2], 0, s, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> cpu.copyIn(s, -1, new float[1], 0, 1));
    }

    @Test
    void copyBetweenStoragesAndFill() {
        Storage a = cpu.allocate(6);
        Storage b = cpu.allocate(6);
        cpu.copyIn(a, 0, new float[] {1, 2, 3, 4, 5, 6}, 0, 6);
        cpu.fill(b, -1f, 6);
        cpu.copy(b, 1, a, 2, 3);
        float[] out = new float[6];
        cpu.copyOut(out, 0, b, 0, 6);
        assertArrayEquals(new float[] {-1, 3, 4, 5, -1, -1}, out);
        cpu.fill(b, 7f, 2);
        cpu.copyOut(out, 0, b, 0, 6);
        assertArrayEquals(new float[] {7, 7, 4, 5, -1, -1}, out);
        assertThrows(IllegalArgumentException.class, () -> cpu.copy(b, 4, a, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> cpu.fill(b, 0f, 7));
    }

    @Test
    void storageOfAnotherBackendIsRejectedNamingBoth() {
        Backend other = new CpuBackend(new ReferenceKernels());
        Storage foreign = other.allocate(4);
        Storage mine = cpu.allocate(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.unary(UnaryOp.RELU, mine, foreign, 4));
        assertTrue(e.getMessage().contains("unary") && e.getMessage().contains("in")
                && e.getMessage().contains("another CpuBackend instance") && e.getMessage().contains("this backend"),
                e.getMessage());
        Storage alien = new Storage() {
            @Override public Backend backend() { return null; }
            @Override public long size() { return 4; }
            @Override public boolean isClosed() { return false; }
            @Override public void close() { }
        };
        assertThrows(IllegalArgumentException.class, () -> cpu.copyIn(alien, 0, new float[4], 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(false, false, 1, 1, 1, 1f, mine, 0, foreign, 0, 0f, mine, 0));
    }

    @Test
    void closedStorageIsRejected() {
        Storage s = cpu.allocate(3);
        Storage t = cpu.allocate(3);
        s.close();
        assertTrue(s.isClosed());
        s.close();                                      // closing twice is harmless
        assertThrows(IllegalStateException.class, () -> ((CpuStorage) s).array());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cpu.copy(t, 0, s, 0, 3));
        assertTrue(e.getMessage().contains("copy") && e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cpu.fill(s, 1f, 3));
        assertThrows(IllegalStateException.class, () -> cpu.copyOut(new float[3], 0, s, 0, 3));
    }

    @Test
    void kernelsRunThroughTheInterface() {
        Storage a = cpu.allocate(4);
        Storage b = cpu.allocate(4);
        Storage c = cpu.allocate(4);
        cpu.copyIn(a, 0, new float[] {1, 2, 3, 4}, 0, 4);
        cpu.copyIn(b, 0, new float[] {10, 20, 30, 40}, 0, 4);
        cpu.binary(BinaryOp.SUB, c, b, a, 4);
        float[] out = new float[4];
        cpu.copyOut(out, 0, c, 0, 4);
        assertArrayEquals(new float[] {9, 18, 27, 36}, out);
        // gemm with a long offset: C[1x1] = A[1, 0:2] . B[0:2, 0] (A row at offset 2 of a, B column stride 1)
        Storage d = cpu.allocate(1);
        cpu.gemm(false, false, 1, 1, 2, 1f, a, 2L, b, 0L, 0f, d, 0L);
        cpu.copyOut(out, 0, d, 0, 1);
        assertEquals(3 * 10 + 4 * 20, out[0]);
        assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(false, false, 1, 1, 1, 1f, a, 1L << 32, b, 0, 0f, d, 0));
    }

    @Test
    void kernelSetsByName() {
        assertEquals("reference", CpuKernelSets.named("reference").name());
        assertEquals("reference", CpuKernelSets.named(" Reference ").name());
        assertThrows(IllegalArgumentException.class, () -> CpuKernelSets.named("fast"));
        CpuKernels best = CpuKernelSets.best();
        assertTrue(best.name().equals("reference") || best.name().equals("vector"), best.name());
    }
}
