package org.deephash4j.opencl;

import java.util.ArrayList;
import java.util.List;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BackendProvider;

/**
 * The {@code opencl} family for {@code org.deephash4j.backend.Backends}, registered in
 * {@code META-INF/services/org.deephash4j.backend.BackendProvider}: {@code opencl:N} is the N-th
 * device of {@link ClDevices#list()}.
 */
public final class OpenClBackendProvider implements BackendProvider {

    @Override
    public String family() {
        return "opencl";
    }

    /** One line per device, e.g. {@code opencl:0 "pthread-skylake-avx512-AMD EPYC" (PoCL, CPU)}. */
    @Override
    public List<String> describeDevices() {
        List<String> lines = new ArrayList<>();
        for (ClDevice d : ClDevices.list()) lines.add(d.describe());
        return lines;
    }

    /** One line per device with its properties (version, compute units, memory, work-group size). */
    public static List<String> describeDevicesInDetail() {
        List<String> lines = new ArrayList<>();
        for (ClDevice d : ClDevices.list()) lines.add(d.describeLong());
        return lines;
    }

    @Override
    public Backend open(int index) {
        return new OpenClBackend(ClDevices.get(index));
    }
}
