package org.deephash4j.backend;

import java.util.List;

/**
 * Service-provider interface for backends outside the engine (the OpenCL backend in
 * {@code kernels/} implements it), found through {@link java.util.ServiceLoader} so the
 * engine never depends on them at compile time.
 */
public interface BackendProvider {
    /** The family this provider serves, the part of a backend name before ':' (e.g. {@code opencl}). */
    String family();

    /** The devices this provider can open, as lines such as {@code opencl:0 "NVIDIA H100" (GPU)}. */
    List<String> describeDevices();

    /** Opens device number {@code index} of this family; throws IllegalArgumentException naming the devices if there is none. */
    Backend open(int index);
}
