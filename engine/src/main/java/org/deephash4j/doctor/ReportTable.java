package org.deephash4j.doctor;

import java.util.Locale;
import java.util.Map;

/**
 * A {@link DoctorReport} as a table for a terminal: a verdict line, then per device its facts,
 * one line per kernel check (with the first failure under a failed one) and one line per hot
 * path with its rate, the spread of the repetitions, the CPU vector kernels' rate and the ratio.
 */
final class ReportTable {
    private ReportTable() {
    }

    static String render(DoctorReport report) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "deephash doctor: %s (%d device%s, %s, %.0f s)%n",
                report.passed() ? "PASSED" : "FAILED", report.devices().size(), report.devices().size() == 1 ? "" : "s",
                report.timings().equals("none") ? "checks only" : report.timings() + " timings", report.seconds()));
        for (String note : report.notes()) b.append("note: ").append(note).append('\n');
        for (DeviceReport d : report.devices()) device(b, d);
        return b.toString();
    }

    private static void device(StringBuilder b, DeviceReport d) {
        b.append('\n').append("== ").append(d.backend()).append(": ").append(d.passed() ? "passed" : "FAILED");
        if (!d.failedKernels().isEmpty()) b.append(" (").append(String.join(", ", d.failedKernels())).append(')');
        b.append(String.format(Locale.ROOT, ", %.1f s%n", d.seconds()));
        if (d.error() != null) b.append("   ").append(d.error()).append('\n');
        int width = 0;
        for (String key : d.facts().keySet()) width = Math.max(width, key.length());
        for (Map.Entry<String, String> e : d.facts().entrySet()) {
            b.append("   ").append(pad(e.getKey(), width + 2)).append(e.getValue()).append('\n');
        }
        if (!d.checks().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n   %-36s %-6s %6s %11s %9s %8s%n", "kernel check", "result", "cases",
                    "max |diff|", "tol. used", "seconds"));
            for (CheckResult c : d.checks()) {
                b.append(String.format(Locale.ROOT, "   %-36s %-6s %6d %11s %9s %8.2f%n", c.kernel(),
                        c.passed() ? "ok" : "FAILED", c.cases(), diff(c.maxDiff()), share(c.worstShare()), c.seconds()));
                if (!c.passed()) b.append("      ").append(c.failure()).append('\n');
            }
        }
        if (!d.timings().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n   %-64s %22s %12s %13s%n", "hot path", "rate (low-high)",
                    "CPU vector", "ratio"));
            for (TimingResult t : d.timings()) {
                if (t.failed()) {
                    b.append(String.format(Locale.ROOT, "   %-64s FAILED: %s%n", t.path(), t.error()));
                    continue;
                }
                String range = rate(t.median()) + " (" + rate(t.low()) + "-" + rate(t.high()) + ")";
                b.append(String.format(Locale.ROOT, "   %-64s %22s %12s %13s%n", t.path() + ", " + t.unit(), range,
                        Double.isNaN(t.cpuVector()) ? "-" : rate(t.cpuVector()),
                        Double.isNaN(t.ratioToCpuVector()) ? "-" : String.format(Locale.ROOT, "%.2fx",
                                t.ratioToCpuVector())));
            }
        }
    }

    /** Three significant digits, no exponent for rates from 0.001 up. */
    static String rate(double x) {
        if (Double.isNaN(x)) return "-";
        double a = Math.abs(x);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", x);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", x);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", x);
        if (a >= 0.001) return String.format(Locale.ROOT, "%.3f", x);
        return String.format(Locale.ROOT, "%.2e", x);
    }

    private static String diff(double x) {
        if (Double.isNaN(x)) return "-";
        return x == 0 ? "0" : String.format(Locale.ROOT, "%.2e", x);
    }

    private static String share(double x) {
        if (Double.isNaN(x)) return "-";
        if (Double.isInfinite(x)) return "inf";
        return String.format(Locale.ROOT, "%.0f%%", 100 * x);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
