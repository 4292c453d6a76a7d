package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deephash4j.doctor.CheckResult;
import org.deephash4j.doctor.DeviceReport;
import org.deephash4j.doctor.Doctor;
import org.deephash4j.doctor.DoctorReport;
import org.deephash4j.doctor.HammingScanPath;
import org.deephash4j.doctor.HotPath;
import org.deephash4j.doctor.KernelCheck;
import org.deephash4j.doctor.KernelChecks;
import org.junit.jupiter.api.Test;

/**
 * {@code deephash doctor} on the OpenCL device (PoCL in CI): its facts come from the driver,
 * every Backend kernel check and the provider's checks (the other convolution algorithm,
 * hamming.cl) pass, and the provider's Hamming path runs. The timings of the whole doctor on
 * PoCL run in the kit's dry run (bench/gpu/dry-run.sh), not here: they take a minute on 2 cores.
 */
class ClDoctorTest {

    @Test
    void openClDevicePassesEveryCheck() {
        OpenClBackend cl = OpenClTestSupport.backend();
        List<String> progress = new ArrayList<>();
        DeviceReport device = new Doctor(Doctor.Timings.NONE, progress::add).examine(cl);
        DoctorReport report = new DoctorReport("none", List.of(device), List.of(), device.seconds());
        assertTrue(report.passed(), report::toTable);

        List<String> kernels = new ArrayList<>();
        for (KernelCheck c : KernelChecks.all()) kernels.add(c.kernel());
        String other = cl.conv2d().algorithm().equals("direct") ? "im2col" : "direct";
        for (String conv : List.of("conv2dForward", "conv2dBackwardData", "conv2dBackwardFilter")) {
            kernels.add(conv + " (" + other + ")");
        }
        kernels.add("hamming (distances, top-k)");
        assertEquals(kernels, device.checks().stream().map(CheckResult::kernel).toList());
        for (CheckResult c : device.checks()) assertTrue(c.cases() > 0, c.toString());
        assertEquals(ClConv2d.DEFAULT.equals("im2col"), cl.conv2d().algorithm().equals("im2col"),
                "the doctor put the default convolution algorithm back");

        Map<String, String> facts = device.facts();
        for (String key : List.of("backend", "device", "platform", "OpenCL version", "OpenCL C version", "driver version",
                "compute units", "global memory", "local memory", "max work-group size", "max work-item sizes")) {
            assertTrue(facts.containsKey(key) && !facts.get(key).isBlank(), key + " in " + facts);
            assertFalse(facts.get(key).startsWith("unavailable"), key + ": " + facts.get(key));
        }
        assertEquals(cl.name(), facts.get("backend"));
        assertEquals(Long.toString(cl.device().maxWorkGroupSize()), facts.get("max work-group size"));
    }

    @Test
    void hammingPathRunsOnTheDeviceUnderTheCpuPathsName() {
        OpenClBackend cl = OpenClTestSupport.backend();
        List<HotPath> paths = new ClDoctorChecks().hotPaths(cl, true);
        assertEquals(List.of(HammingScanPath.NAME), paths.stream().map(HotPath::name).toList());
        long liveBefore = cl.liveBytes();
        try (HotPath.Workload w = paths.get(0).prepare(cl)) {
            w.run();
            w.finish();
            assertEquals((double) HammingScanPath.QUERIES * HammingScanPath.CODES / 1e9, w.amountPerRun(), 1e-15);
        }
        assertEquals(liveBefore, cl.liveBytes(), "the path released its device buffers");
        assertEquals(List.of(), new ClDoctorChecks().hotPaths(org.deephash4j.backend.Backends.cpu(), true));
        assertEquals(List.of(), new ClDoctorChecks().checks(org.deephash4j.backend.Backends.cpu()));
    }
}
