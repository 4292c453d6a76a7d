package org.deephash4j.backend.cpu;

import java.util.List;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BackendProvider;

/**
 * The {@code cpu} family for {@code org.deephash4j.backend.Backends}, registered in the engine's
 * {@code META-INF/services/org.deephash4j.backend.BackendProvider} like every other backend: one
 * device, {@code cpu} (or {@code cpu:0}), running the kernel set {@link CpuKernelSets#best()} picks.
 */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String family() {
        return "cpu";
    }

    @Override
    public List<String> describeDevices() {
        return List.of("cpu \"" + new CpuBackend().deviceName() + "\"");
    }

    @Override
    public Backend open(int index) {
        if (index != 0) throw new IllegalArgumentException("cpu:" + index + " does not exist; the CPU is one device, cpu");
        return new CpuBackend();
    }
}
