package org.deephash4j.doctor;

import java.util.List;
import org.deephash4j.backend.Backend;

/**
 * Service-provider interface for kernels a device has beyond the {@link Backend} interface
 * (the OpenCL backend's Hamming search in {@code kernels/}), found through
 * {@link java.util.ServiceLoader} like {@code backend.BackendProvider}, so the engine never
 * sees the module that owns them. Each method returns nothing for a backend the provider does
 * not serve.
 */
public interface DoctorCheckProvider {

    /** Extra kernel checks for {@code backend}, run after {@link KernelChecks#all()}. */
    List<KernelCheck> checks(Backend backend);

    /** Extra hot paths for {@code backend}, timed after {@link HotPaths#all(boolean)}. */
    List<HotPath> hotPaths(Backend backend, boolean quick);
}
