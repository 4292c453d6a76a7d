package org.deephash4j.app;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --device cpu|opencl|opencl:N}; an unavailable device exits with {@link ExitCode#DEVICE}. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "NAME", description = "cpu (default), opencl or opencl:N; see 'deephash devices'.")
    String device = "cpu";

    Backend open() {
        try {
            return Backends.get(device);
        } catch (RuntimeException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CommandFailure(ExitCode.DEVICE, "device '" + device + "' is not available: " + e.getMessage(), e);
        }
    }
}
