package org.deephash4j.doctor;

import java.util.List;

/**
 * Everything one run of the doctor found: a report per device, notes about devices that could
 * not be listed (no OpenCL platform), and how the run was made. {@link ReportTable} renders it
 * for a terminal, {@link ReportJson} as one JSON object.
 *
 * @param timings {@code full}, {@code quick} or {@code none} ({@link Doctor.Timings})
 * @param devices one report per device examined
 * @param notes   remarks that are not failures, e.g. {@code opencl: no OpenCL platform found ...}
 * @param seconds wall time of the whole run
 */
public record DoctorReport(String timings, List<DeviceReport> devices, List<String> notes, double seconds) {

    public DoctorReport {
        devices = List.copyOf(devices);
        notes = List.copyOf(notes);
    }

    /** True when at least one device was examined and every device passed. */
    public boolean passed() {
        return !devices.isEmpty() && devices.stream().allMatch(DeviceReport::passed);
    }

    /** The terminal table. */
    public String toTable() {
        return ReportTable.render(this);
    }

    /** One JSON object. */
    public String toJson() {
        return ReportJson.render(this);
    }
}
