package org.deephash4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Picks a backend by name: {@code cpu}, {@code opencl} (device 0) or {@code opencl:N}.
 * The name comes from the API, the command line ({@code --device}) or the environment
 * variable {@code DEEPHASH_BACKEND}; {@link #defaultBackend()} reads the variable and falls back
 * to {@code cpu}. Each backend is opened once and shared; the choice is logged once with the device name.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static final Map<String, Backend> OPEN = new ConcurrentHashMap<>();
    private static volatile Supplier<Backend> cpuFactory;

    private Backends() {
    }

    /**
     * Lets the CPU backend register itself (backend.cpu calls this from a static initialiser),
     * so this package does not depend on backend.cpu.
     */
    public static void registerCpu(Supplier<Backend> factory) {
        cpuFactory = factory;
    }

    /** The backend named by {@code DEEPHASH_BACKEND}, or {@code cpu}. */
    public static Backend defaultBackend() {
        String env = System.getenv("DEEPHASH_BACKEND");
        return get(env == null || env.isBlank() ? "cpu" : env.trim());
    }

    /** The CPU backend. */
    public static Backend cpu() {
        return get("cpu");
    }

    /** The backend of that name, opened on first use. */
    public static Backend get(String name) {
        String key = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (key.equals("opencl")) key = "opencl:0";
        return OPEN.computeIfAbsent(key, Backends::open);
    }

    private static Backend open(String key) {
        Backend backend;
        if (key.equals("cpu")) {
            if (cpuFactory == null) {
                try {
                    Class.forName("org.deephash4j.backend.cpu.CpuBackend", true, Backends.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("the CPU backend class is missing from the engine jar", e);
                }
            }
            backend = cpuFactory.get();
        } else {
            int colon = key.indexOf(':');
            String family = colon < 0 ? key : key.substring(0, colon);
            int index;
            try {
                index = colon < 0 ? 0 : Integer.parseInt(key.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("backend '" + key + "': the device number after ':' is not a number");
            }
            BackendProvider provider = provider(family);
            backend = provider.open(index);
        }
        LOG.info("backend " + backend.name() + ": " + backend.deviceName());
        return backend;
    }

    private static BackendProvider provider(String family) {
        List<String> known = new ArrayList<>();
        known.add("cpu");
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.family().equals(family)) return p;
            known.add(p.family());
        }
        String hint = family.equals("opencl")
                ? " (the OpenCL backend lives in the deephash4j-kernels jar; put it on the class path)"
                : "";
        throw new IllegalArgumentException("unknown backend '" + family + "'; available: " + String.join(", ", known) + hint);
    }

    /** Every device every provider can open, one line each, the CPU first. */
    public static List<String> describeDevices() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu \"" + cpu().deviceName() + "\"");
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            try {
                lines.addAll(p.describeDevices());
            } catch (RuntimeException e) {
                lines.add(p.family() + ": " + e.getMessage());
            }
        }
        return lines;
    }
}
