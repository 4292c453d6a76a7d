package org.deephash4j.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deephash4j.doctor.Doctor;
import org.deephash4j.doctor.DoctorReport;
import org.deephash4j.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deephash doctor}: checks every kernel of a device against the CPU reference kernels and
 * times the hot paths ({@link Doctor}); prints a table, or one JSON object with {@code --json}.
 * Exit 0 when every check passes, {@link ExitCode#CHECK_FAILED} when one fails, and
 * {@link ExitCode#DEVICE} when the one device asked for cannot be opened.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a device before trusting it: its facts, every kernel against the CPU reference kernels "
                + "(seeded random inputs of awkward sizes), and the hot paths timed against the CPU vector kernels.",
            "Exit code 0 when every check passes, 6 when one fails.",
            "Example: deephash doctor --device opencl:0 --quick"})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--device", paramLabel = "NAME",
            description = "all (default: cpu and every OpenCL device), cpu, opencl or opencl:N.")
    String device = "all";

    @Option(names = "--quick", description = "Short timings (about a minute for the CPU and one OpenCL device on 2 cores).")
    boolean quick;

    @Option(names = "--checks-only", description = "Facts and kernel checks only; no timings.")
    boolean checksOnly;

    @Option(names = "--json", description = "Print one JSON object instead of the table (progress still goes to standard error).")
    boolean json;

    @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the JSON object to FILE (the kit keeps both).")
    Path jsonFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Doctor.Timings timings = checksOnly ? Doctor.Timings.NONE : quick ? Doctor.Timings.QUICK : Doctor.Timings.FULL;
        Doctor.Selection selection = Doctor.deviceNames(device);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        DoctorReport report = new Doctor(timings, line -> {
            progress.println(line);
            progress.flush();
        }).examine(selection);
        out.print(json ? report.toJson() : report.toTable());
        out.flush();
        if (jsonFile != null) {
            byte[] bytes = report.toJson().getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(jsonFile, o -> o.write(bytes));
        }
        if (report.passed()) return ExitCode.OK;
        boolean oneDeviceMissing = report.devices().size() == 1 && report.devices().get(0).error() != null;
        return oneDeviceMissing ? ExitCode.DEVICE : ExitCode.CHECK_FAILED;
    }
}
