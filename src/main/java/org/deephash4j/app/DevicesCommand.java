package org.deephash4j.app;

import java.util.concurrent.Callable;
import org.deephash4j.backend.Backends;
import picocli.CommandLine.Command;

/** Lists the devices every backend can open: the CPU, then OpenCL devices when the kernels jar and a platform are present. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the compute devices (the names --device accepts).")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : Backends.describeDevices()) System.out.println(line);
        return ExitCode.OK;
    }
}
