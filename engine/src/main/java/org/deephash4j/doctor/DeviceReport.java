package org.deephash4j.doctor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the doctor found on one device.
 *
 * @param backend the backend's name ({@code cpu}, {@code opencl:0})
 * @param facts   {@link org.deephash4j.backend.Backend#deviceFacts()}
 * @param checks  one result per kernel check
 * @param timings one result per hot path
 * @param error   why the device could not be examined at all (it did not open), else null
 * @param seconds wall time spent on this device
 */
public record DeviceReport(String backend, Map<String, String> facts, List<CheckResult> checks,
                           List<TimingResult> timings, String error, double seconds) {

    public DeviceReport {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));   // keeps the print order
        checks = List.copyOf(checks);
        timings = List.copyOf(timings);
    }

    /** True when the device opened, every check passed and every hot path could be timed. */
    public boolean passed() {
        return error == null && checks.stream().allMatch(CheckResult::passed)
                && timings.stream().noneMatch(TimingResult::failed);
    }

    /** The kernels whose checks failed, in check order. */
    public List<String> failedKernels() {
        return checks.stream().filter(c -> !c.passed()).map(CheckResult::kernel).toList();
    }
}
