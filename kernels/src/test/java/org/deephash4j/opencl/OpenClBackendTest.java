package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.Storage;
import org.junit.jupiter.api.Test;

/** Device choice and listing, memory (copies, fill, release, out-of-memory) and error reporting. */
class OpenClBackendTest {

    @Test
    void listsDevicesAndOpensThemByName() {
        OpenClBackend cl = OpenClTestSupport.backend();
        List<String> lines = new OpenClBackendProvider().describeDevices();
        assertFalse(lines.isEmpty());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).matches("opencl:" + i + " \".+\" \\(.+, (CPU|GPU|accelerator|other)\\)"),
                    "device line: " + lines.get(i));
        }
        assertTrue(Backends.describeDevices().contains(lines.get(0)), "Backends.describeDevices() lists " + lines.get(0));
        assertSame(cl, Backends.get("opencl"), "opencl means opencl:0, opened once");
        assertEquals("opencl:0", cl.name());
        assertTrue(OpenClBackendProvider.describeDevicesInDetail().get(0).contains("compute units"));
    }

    @Test
    void missingDeviceNamesTheDevicesThereAre() {
        OpenClTestSupport.requireOpenCl();
        int missing = ClDevices.list().size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.get("opencl:" + missing));
        assertEquals("opencl:" + missing + " does not exist; devices: " + String.join(", ",
                new OpenClBackendProvider().describeDevices()), e.getMessage());
    }

    @Test
    void noPlatformMessageNamesThePackages() {
        assertTrue(ClDevices.NO_PLATFORM.contains("ocl-icd-opencl-dev"));
        assertTrue(ClDevices.NO_PLATFORM.contains("pocl-opencl-icd"));
        assertTrue(ClDevices.NO_PLATFORM.contains("GPU"));
    }

    @Test
    void buildErrorCarriesTheCompilerLog() {
        OpenClBackend cl = OpenClTestSupport.backend();
        ClException e = assertThrows(ClException.class,
                () -> cl.programs().build("broken.cl", "__kernel void broken(__global float* x) { x[0] = y; }", ""));
        assertTrue(e.getMessage().contains("clBuildProgram broken.cl"), e.getMessage());
        assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE (-11)"), e.getMessage());
        assertTrue(e.getMessage().contains("build log:") && e.getMessage().contains("y"), e.getMessage());
    }

    @Test
    void outOfMemoryIsReportedWithTheSizeAskedFor() {
        OpenClBackend cl = OpenClTestSupport.backend();
        long floats = cl.device().maxAllocBytes() / Float.BYTES + 1;
        ClOutOfMemoryException e = assertThrows(ClOutOfMemoryException.class, () -> cl.allocate(floats));
        assertTrue(e.getMessage().startsWith("out of memory on opencl:0"), e.getMessage());
        assertTrue(e.getMessage().contains("asked for " + floats * Float.BYTES + " bytes"), e.getMessage());
    }

    @Test
    void programsAreBuiltOncePerContext() {
        OpenClBackend cl = OpenClTestSupport.backend();
        try (Storage s = cl.allocate(10)) {
            cl.fill(s, 1f, 10);
            int programs = cl.programs().programCount();
            cl.fill(s, 2f, 10);
            cl.affine(s, s, 2f, 0f, 10);
            cl.affine(s, s, 2f, 0f, 10);
            assertEquals(programs, cl.programs().programCount(), "elementwise.cl built again");
        }
    }

    @Test
    void copiesFillAndReleaseStorages() {
        OpenClBackend cl = OpenClTestSupport.backend();
        long before = cl.liveBytes();
        Storage a = cl.allocate(10);
        Storage b = cl.allocate(10);
        float[] zeros = new float[10];
        assertArrayEquals(zeros, Parity.download(cl, a, 10), "allocate gives zeros");
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        cl.copyIn(a, 2, x, 1, 5);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4, 5, 0, 0, 0}, Parity.download(cl, a, 10));
        cl.fill(b, -1f, 10);
        cl.copy(b, 7, a, 2, 3);
        assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1, -1, 1, 2, 3}, Parity.download(cl, b, 10));
        cl.copy(a, 3, a, 2, 5);   // overlapping, within one storage
        assertArrayEquals(new float[] {0, 0, 1, 1, 2, 3, 4, 5, 0, 0}, Parity.download(cl, a, 10));
        float[] part = new float[4];
        cl.copyOut(part, 1, a, 4, 3);
        assertArrayEquals(new float[] {0, 2, 3, 4}, part);
        assertEquals(before + 80, cl.liveBytes());
        a.close();
        a.close();   // harmless
        b.close();
        assertEquals(before, cl.liveBytes(), "closing releases the buffers");
        assertTrue(a.isClosed());
        assertThrows(IllegalStateException.class, () -> cl.fill(a, 0f, 1));
    }

    @Test
    void rejectsBadArgumentsAsTheCpuBackendDoes() {
        OpenClBackend cl = OpenClTestSupport.backend();
        try (Storage s = cl.allocate(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.copyIn(s, 2, new float[4], 0, 3));
            assertEquals("copyIn: dst range [2, 5) is outside its 4 floats", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cl.dropoutMask(s, 1f, 1, 4));
            assertEquals("dropoutMask: p = 1.0, expected 0 <= p < 1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cl.sgdStep(s, s, null, 0.1f, 0.9f, 0f, 4));
            assertEquals("sgdStep: momentum = 0.9 needs a velocity storage, got null", e.getMessage());
        }
    }

    @Test
    void refusesAnotherBackendsStorage() {
        OpenClBackend cl = OpenClTestSupport.backend();
        Backend cpu = Parity.cpu();
        try (Storage s = cpu.allocate(4); Storage t = cl.allocate(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.copy(t, 0, s, 0, 4));
            assertTrue(e.getMessage().startsWith("copy: storage"), e.getMessage());
        }
    }
}
