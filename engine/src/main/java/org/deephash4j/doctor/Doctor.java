package org.deephash4j.doctor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.backend.cpu.CpuKernelSets;

/**
 * {@code deephash doctor} as a library: for each device, its {@link Backend#deviceFacts() facts},
 * then every {@link KernelChecks kernel check} against the CPU reference kernels, then the
 * {@link HotPaths hot paths} timed, each divided by the CPU vector kernels' figure for the same
 * path. Devices with kernels outside the Backend interface add checks and paths through
 * {@link DoctorCheckProvider}. A failing kernel never stops the run: every check and path runs,
 * and the report says which failed and how.
 *
 * <pre>{@code
 * DoctorReport report = new Doctor(Doctor.Timings.QUICK, System.err::println).examine(Doctor.deviceNames("all"));
 * System.out.print(report.toTable());
 * }</pre>
 */
public final class Doctor {
    /** A device line of {@link Backends#describeDevices()}: its name, then a space. */
    private static final Pattern DEVICE_LINE = Pattern.compile("^([a-z0-9]+(?::\\d+)?)(\\s.*)?$");

    /** How long the hot paths are timed: the default, {@code --quick}, or not at all (checks only). */
    public enum Timings {
        /** Warm-up 1 s, then 5 repetitions of 1 s per path (fewer past 30 s); the training step also at batch 1024. */
        FULL,
        /** Warm-up 0.3 s, then 3 repetitions of 0.3 s per path (fewer past 3 s). */
        QUICK,
        /** No timings: facts and kernel checks only. */
        NONE
    }

    private final Timings timings;
    private final boolean quick;
    private final Consumer<String> progress;
    private final Stopwatch stopwatch;
    private final Backend reference = new CpuBackend(CpuKernelSets.named("reference"));
    private final List<KernelCheck> checks = KernelChecks.all();
    private final List<DoctorCheckProvider> providers = loadProviders();
    private final Map<String, Double> cpuVectorRates = new HashMap<>();
    private Backend cpuVector;

    /**
     * @param timings  how long to time the hot paths ({@link Timings#QUICK}: about a minute in all
     *                 for the CPU and one OpenCL device on a 2-core machine)
     * @param progress receives one line per check and per timed path as the run goes
     */
    public Doctor(Timings timings, Consumer<String> progress) {
        this.timings = timings;
        this.quick = timings != Timings.FULL;
        this.progress = progress;
        this.stopwatch = quick ? new Stopwatch(0.3, 3, 0.3, 3) : new Stopwatch(1.0, 5, 1.0, 30);
    }

    /** The devices and notes for a {@code --device} value: {@code all}, {@code cpu}, {@code opencl}, {@code opencl:N}. */
    public record Selection(List<String> devices, List<String> notes) {
    }

    /**
     * {@code all}: the CPU and every device every provider lists (a provider that cannot list any,
     * e.g. OpenCL without a platform, becomes a note); any other value is one device name.
     */
    public static Selection deviceNames(String spec) {
        String key = spec.trim().toLowerCase(Locale.ROOT);
        if (!key.equals("all")) return new Selection(List.of(key), List.of());
        List<String> devices = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        devices.add("cpu");
        List<String> lines = Backends.describeDevices();
        for (String line : lines.subList(1, lines.size())) {        // the first line is the CPU
            Matcher m = DEVICE_LINE.matcher(line);
            if (m.matches() && m.group(1).contains(":")) devices.add(m.group(1));
            else notes.add(line);
        }
        return new Selection(devices, notes);
    }

    /** Opens and examines each named device in turn. */
    public DoctorReport examine(Selection selection) {
        long start = System.nanoTime();
        List<DeviceReport> reports = new ArrayList<>();
        for (String name : selection.devices()) {
            Backend backend;
            try {
                backend = Backends.get(name);
            } catch (RuntimeException | LinkageError e) {
                progress.accept(name + ": cannot open: " + e.getMessage());
                reports.add(new DeviceReport(name, Map.of("backend", name), List.of(), List.of(),
                        "cannot open " + name + ": " + e.getMessage(), 0));
                continue;
            }
            reports.add(examine(backend));
        }
        return new DoctorReport(timings.name().toLowerCase(Locale.ROOT), reports, selection.notes(), seconds(start));
    }

    /** Examines one backend (tests pass their own). */
    public DeviceReport examine(Backend backend) {
        long start = System.nanoTime();
        String name = backend.name();
        Map<String, String> facts;
        try {
            facts = backend.deviceFacts();
        } catch (RuntimeException | LinkageError e) {
            facts = new LinkedHashMap<>();
            facts.put("backend", name);
            facts.put("device", backend.deviceName());
            facts.put("facts", "could not be read: " + e);
        }
        progress.accept(name + ": " + facts.getOrDefault("device", backend.deviceName()));
        List<CheckResult> results = new ArrayList<>();
        for (KernelCheck check : checksFor(backend)) {
            CheckResult r = runCheck(check, backend);
            results.add(r);
            progress.accept(String.format(Locale.ROOT, "%s: check %-28s %s (%d cases, %.1f s)", name, r.kernel(),
                    r.passed() ? "ok" : "FAILED: " + r.failure(), r.cases(), r.seconds()));
        }
        boolean isCpuVector = isCpuVector(backend);
        List<TimingResult> timings = new ArrayList<>();
        for (HotPath path : pathsFor(backend)) {
            TimingResult t = time(path, backend);
            if (isCpuVector && !t.failed()) cpuVectorRates.put(path.name(), t.median());
            double baseline = t.failed() ? Double.NaN : cpuVectorRate(path.name());
            t = new TimingResult(t.path(), t.unit(), t.median(), t.low(), t.high(), t.reps(), t.runs(), baseline, t.error());
            timings.add(t);
            progress.accept(String.format(Locale.ROOT, "%s: time  %s: %s", name, path.name(),
                    t.failed() ? "FAILED: " + t.error() : ReportTable.rate(t.median()) + " " + t.unit()));
        }
        return new DeviceReport(name, facts, results, timings, null, seconds(start));
    }

    private List<KernelCheck> checksFor(Backend backend) {
        List<KernelCheck> list = new ArrayList<>(checks);
        for (DoctorCheckProvider p : providers) list.addAll(p.checks(backend));
        return list;
    }

    private List<HotPath> pathsFor(Backend backend) {
        List<HotPath> list = new ArrayList<>();
        if (timings == Timings.NONE) return list;
        for (HotPath p : HotPaths.all(quick)) if (p.runsOn(backend)) list.add(p);
        for (DoctorCheckProvider p : providers) list.addAll(p.hotPaths(backend, quick));
        return list;
    }

    private CheckResult runCheck(KernelCheck check, Backend backend) {
        long start = System.nanoTime();
        try {
            return check.run(backend, reference);
        } catch (RuntimeException | LinkageError e) {
            return new CheckResult(check.kernel(), 0, 1, Double.NaN, Double.NaN, "threw " + e, seconds(start));
        }
    }

    private TimingResult time(HotPath path, Backend backend) {
        try (HotPath.Workload workload = path.prepare(backend)) {
            return stopwatch.time(path, workload);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            return TimingResult.failure(path, e.toString());
        }
    }

    /** The CPU vector kernels' median for the path of that name, timed now if not yet; NaN when it cannot be. */
    private double cpuVectorRate(String pathName) {
        Double known = cpuVectorRates.get(pathName);
        if (known != null) return known;
        Backend cpu = cpuVectorBackend();
        double rate = Double.NaN;
        if (cpu != null) {
            for (HotPath p : HotPaths.all(quick)) {
                if (p.name().equals(pathName) && p.runsOn(cpu)) {
                    TimingResult t = time(p, cpu);
                    if (!t.failed()) rate = t.median();
                    progress.accept(String.format(Locale.ROOT, "cpu vector kernels: time  %s: %s", pathName,
                            t.failed() ? "FAILED: " + t.error() : ReportTable.rate(t.median()) + " " + t.unit()));
                }
            }
        }
        cpuVectorRates.put(pathName, rate);
        return rate;
    }

    private Backend cpuVectorBackend() {
        if (cpuVector == null && CpuKernelSets.vectorModulePresent()) {
            Backend shared = Backends.cpu();
            cpuVector = isCpuVector(shared) ? shared : new CpuBackend(CpuKernelSets.named("vector"));
        }
        return cpuVector;
    }

    private static boolean isCpuVector(Backend backend) {
        return backend instanceof CpuBackend cpu && cpu.kernels().name().equals("vector");
    }

    private static List<DoctorCheckProvider> loadProviders() {
        List<DoctorCheckProvider> list = new ArrayList<>();
        try {
            for (DoctorCheckProvider p : ServiceLoader.load(DoctorCheckProvider.class)) list.add(p);
        } catch (ServiceConfigurationError e) {
            // a provider that cannot load (its native library is missing) adds nothing; its backend reports why
        }
        return List.copyOf(list);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
