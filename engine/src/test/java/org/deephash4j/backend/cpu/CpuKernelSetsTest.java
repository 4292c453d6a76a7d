package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CpuKernelSets: names, the forcing property, and the vector set only where it can run. */
class CpuKernelSetsTest {
    private static boolean vectorClassPresent() {
        try {
            Class.forName("org.deephash4j.backend.cpu.VectorKernels", false, CpuKernelSetsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(CpuKernelSets.PROPERTY);
    }

    @Test
    void propertyForcesTheReferenceSet() {
        System.setProperty(CpuKernelSets.PROPERTY, "reference");
        assertEquals("reference", CpuKernelSets.best().name());
        assertTrue(new CpuBackend().deviceName().endsWith(", reference kernels"), new CpuBackend().deviceName());
    }

    @Test
    void unknownSetIsRejected() {
        System.setProperty(CpuKernelSets.PROPERTY, "simd");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuKernelSets::best);
        assertTrue(e.getMessage().contains("'simd'") && e.getMessage().contains("reference or vector"), e.getMessage());
    }

    @Test
    void vectorSetLoadsOnlyWhenModuleAndClassArePresent() {
        boolean canRun = CpuKernelSets.vectorModulePresent() && vectorClassPresent();
        if (canRun) {
            assertEquals("vector", CpuKernelSets.named("vector").name());
            assertEquals("vector", CpuKernelSets.best().name());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuKernelSets.named("vector"));
            assertTrue(e.getMessage().contains("vector"), e.getMessage());
            assertEquals("reference", CpuKernelSets.best().name());
        }
    }
}
