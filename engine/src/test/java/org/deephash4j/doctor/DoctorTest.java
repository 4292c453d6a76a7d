package org.deephash4j.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.cpu.CpuKernelSets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The doctor on the CPU passes, times every hot path and reports as parseable JSON holding every
 * check; the same doctor on a device with one wrong kernel ({@link CorruptingBackend}) fails and
 * names that kernel, with the case, the first bad index and both values.
 */
class DoctorTest {
    // One doctor for the planted-bug tests: it keeps the reference results between devices.
    private static final Doctor CHECKS_ONLY = new Doctor(Doctor.Timings.NONE, line -> { });
    private static final String TRAIN_STEP = new TrainStepCheck().kernel();

    @Test
    void cpuPassesAndTheJsonHoldsEveryCheckAndPath() {
        List<String> progress = new ArrayList<>();
        Backend cpu = Backends.cpu();
        DeviceReport device = new Doctor(Doctor.Timings.QUICK, progress::add).examine(cpu);
        DoctorReport report = new DoctorReport("quick", List.of(device), List.of(), device.seconds());
        assertTrue(report.passed(), report::toTable);

        List<String> kernels = KernelChecks.all().stream().map(KernelCheck::kernel).toList();
        assertEquals(kernels, device.checks().stream().map(CheckResult::kernel).toList());
        for (CheckResult c : device.checks()) assertTrue(c.cases() > 0 && c.worstShare() <= 1, c.toString());
        List<String> paths = HotPaths.all(true).stream().filter(p -> p.runsOn(cpu)).map(HotPath::name).toList();
        assertEquals(paths, device.timings().stream().map(TimingResult::path).toList());
        boolean vector = CpuKernelSets.best().name().equals("vector");
        for (TimingResult t : device.timings()) {
            assertTrue(t.median() > 0 && t.low() <= t.median() && t.median() <= t.high(), t.toString());
            assertTrue(t.reps() >= 1 && t.runs() >= 1, t.toString());
            // the CPU vector kernels are their own baseline
            if (vector) assertEquals(1.0, t.ratioToCpuVector(), 1e-12, t.toString());
        }
        assertTrue(progress.size() >= kernels.size() + paths.size(), "one progress line per check and path");
        assertEquals("cpu", device.facts().get("backend"));
        assertNotNull(device.facts().get("cores"));
        assertNotNull(device.facts().get("kernel set"));

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(report.toJson());
        assertEquals(Boolean.TRUE, json.get("passed"));
        assertEquals("deephash doctor", json.get("tool"));
        Map<String, Object> d = onlyDevice(json);
        assertEquals("cpu", d.get("backend"));
        assertEquals(List.of(), d.get("failedKernels"));
        List<String> jsonKernels = new ArrayList<>();
        for (Object o : (List<?>) d.get("checks")) {
            Map<?, ?> c = (Map<?, ?>) o;
            jsonKernels.add((String) c.get("kernel"));
            assertEquals(Boolean.TRUE, c.get("passed"), c.toString());
            assertNull(c.get("failure"));
            assertTrue(((Double) c.get("cases")) > 0, c.toString());
        }
        assertEquals(kernels, jsonKernels);
        List<String> jsonPaths = new ArrayList<>();
        for (Object o : (List<?>) d.get("timings")) {
            Map<?, ?> t = (Map<?, ?>) o;
            jsonPaths.add((String) t.get("path"));
            assertTrue((Double) t.get("median") > 0, t.toString());
        }
        assertEquals(paths, jsonPaths);
        assertEquals(device.facts(), d.get("facts"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyDevice(Map<String, Object> json) {
        List<Object> devices = (List<Object>) json.get("devices");
        assertEquals(1, devices.size());
        return (Map<String, Object>) devices.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemm", "conv2dBackwardFilter", "maxPool2dForward", "unary", "sum", "adamStep", "dropoutMask",
        "batchNormBackward", "adaptiveAvgPool2dForward"})
    void aWrongKernelFailsTheDoctorWhichNamesIt(String kernel) {
        DeviceReport device = CHECKS_ONLY.examine(new CorruptingBackend(Backends.cpu(), kernel));
        DoctorReport report = new DoctorReport("none", List.of(device), List.of(), device.seconds());
        assertFalse(report.passed(), report::toTable);
        // the broken kernel is named first; the training check may fail with it (it runs the same kernels)
        List<String> failed = device.failedKernels();
        assertEquals(kernel, failed.get(0), failed.toString());
        assertTrue(Set.of(kernel, TRAIN_STEP).containsAll(failed), failed.toString());
        CheckResult bad = device.checks().stream().filter(c -> c.kernel().equals(kernel)).findFirst().orElseThrow();
        assertTrue(bad.failure().startsWith(kernel + " ") && bad.failure().contains("] = ")
                && bad.failure().contains("vs reference"), bad.failure());
        assertTrue(bad.failedCases() > 0 && bad.worstShare() > 1, bad.toString());
        assertTrue(report.toTable().contains(bad.failure()), "the table shows the failure");

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(report.toJson());
        assertEquals(Boolean.FALSE, json.get("passed"));
        assertEquals(failed, onlyDevice(json).get("failedKernels"));
    }

    @Test
    void aDeviceThatDoesNotOpenFailsWithItsReason() {
        DoctorReport report = CHECKS_ONLY.examine(Doctor.deviceNames("nosuchbackend"));
        assertFalse(report.passed());
        DeviceReport device = report.devices().get(0);
        assertTrue(device.error().contains("unknown backend 'nosuchbackend'"), device.error());
        assertEquals(Boolean.FALSE, ((Map<?, ?>) JsonParser.parse(report.toJson())).get("passed"));
    }

    @Test
    void deviceNames() {
        assertEquals(List.of("opencl:1"), Doctor.deviceNames(" OpenCL:1 ").devices());
        assertEquals("cpu", Doctor.deviceNames("all").devices().get(0));
    }

    @Test
    void jsonTextReadsBack() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 é";
        assertEquals(nasty, JsonParser.parse(Json.string(nasty)));
        assertEquals("null", Json.number(Double.NaN));
        assertEquals("null", Json.number(Double.POSITIVE_INFINITY));
        assertEquals(1.5e-7, (Double) JsonParser.parse(Json.number(1.5e-7)), 0);
        assertEquals(42.0, (Double) JsonParser.parse(Json.number(42)), 0);
    }
}
