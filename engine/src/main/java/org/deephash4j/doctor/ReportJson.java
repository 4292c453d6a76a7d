package org.deephash4j.doctor;

import java.util.List;
import java.util.Map;

/**
 * A {@link DoctorReport} as one JSON object (two-space indented; numbers that cannot be
 * measured are null):
 * <pre>
 * {"tool": "deephash doctor", "passed": true, "timings": "quick", "seconds": 52.1, "notes": [...],
 *  "devices": [{"backend": "cpu", "passed": true, "error": null, "seconds": 20.3,
 *               "facts": {"device": "...", ...},
 *               "failedKernels": [],
 *               "checks": [{"kernel": "gemm", "passed": true, "cases": 63, "failedCases": 0,
 *                           "maxDiff": 1.2e-6, "worstShare": 0.04, "failure": null, "seconds": 0.4}, ...],
 *               "timings": [{"path": "gemm 1024x1024x1024", "unit": "GFLOP/s", "median": 140.2,
 *                            "low": 138.0, "high": 141.9, "reps": 3, "runs": 12, "cpuVector": 140.2,
 *                            "ratioToCpuVector": 1.0, "error": null}, ...]}]}
 * </pre>
 */
final class ReportJson {
    private ReportJson() {
    }

    static String render(DoctorReport report) {
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        field(b, 1, "tool", Json.string("deephash doctor"));
        field(b, 1, "passed", Boolean.toString(report.passed()));
        field(b, 1, "timings", Json.string(report.timings()));
        field(b, 1, "seconds", Json.number(report.seconds()));
        field(b, 1, "notes", strings(report.notes()));
        indent(b, 1).append("\"devices\": [");
        List<DeviceReport> devices = report.devices();
        for (int i = 0; i < devices.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n");
            device(b, devices.get(i));
        }
        b.append(devices.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        return b.toString();
    }

    private static void device(StringBuilder b, DeviceReport d) {
        indent(b, 2).append("{\n");
        field(b, 3, "backend", Json.string(d.backend()));
        field(b, 3, "passed", Boolean.toString(d.passed()));
        field(b, 3, "error", Json.string(d.error()));
        field(b, 3, "seconds", Json.number(d.seconds()));
        field(b, 3, "facts", facts(d.facts()));
        field(b, 3, "failedKernels", strings(d.failedKernels()));
        indent(b, 3).append("\"checks\": [");
        for (int i = 0; i < d.checks().size(); i++) {
            CheckResult c = d.checks().get(i);
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 4).append("{\"kernel\": ").append(Json.string(c.kernel()))
                    .append(", \"passed\": ").append(c.passed())
                    .append(", \"cases\": ").append(c.cases())
                    .append(", \"failedCases\": ").append(c.failedCases())
                    .append(", \"maxDiff\": ").append(Json.number(c.maxDiff()))
                    .append(", \"worstShare\": ").append(Json.number(c.worstShare()))
                    .append(", \"failure\": ").append(Json.string(c.failure()))
                    .append(", \"seconds\": ").append(Json.number(c.seconds())).append('}');
        }
        b.append(d.checks().isEmpty() ? "],\n" : "\n      ],\n");
        indent(b, 3).append("\"timings\": [");
        for (int i = 0; i < d.timings().size(); i++) {
            TimingResult t = d.timings().get(i);
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 4).append("{\"path\": ").append(Json.string(t.path()))
                    .append(", \"unit\": ").append(Json.string(t.unit()))
                    .append(", \"median\": ").append(Json.number(t.median()))
                    .append(", \"low\": ").append(Json.number(t.low()))
                    .append(", \"high\": ").append(Json.number(t.high()))
                    .append(", \"reps\": ").append(t.reps())
                    .append(", \"runs\": ").append(t.runs())
                    .append(", \"cpuVector\": ").append(Json.number(t.cpuVector()))
                    .append(", \"ratioToCpuVector\": ").append(Json.number(t.ratioToCpuVector()))
                    .append(", \"error\": ").append(Json.string(t.error())).append('}');
        }
        b.append(d.timings().isEmpty() ? "]\n" : "\n      ]\n");
        indent(b, 2).append('}');
    }

    private static String facts(Map<String, String> facts) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : facts.entrySet()) {
            if (!first) b.append(", ");
            first = false;
            b.append(Json.string(e.getKey())).append(": ").append(Json.string(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(Json.string(values.get(i)));
        }
        return b.append(']').toString();
    }

    private static void field(StringBuilder b, int level, String name, String value) {
        indent(b, level).append(Json.string(name)).append(": ").append(value).append(",\n");
    }

    private static StringBuilder indent(StringBuilder b, int level) {
        return b.append("  ".repeat(level));
    }
}
