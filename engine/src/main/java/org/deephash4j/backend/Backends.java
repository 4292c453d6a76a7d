package org.deephash4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Picks a backend by name: {@code cpu}, {@code opencl} (device 0) or {@code opencl:N}.
 * The name comes from the API, the command line ({@code --device}) or the environment
 * variable {@code DEEPHASH_BACKEND}; {@link #defaultBackend()} reads the variable and falls back
 * to {@code cpu}. Every family is a {@link BackendProvider} found through {@link ServiceLoader}:
 * the engine registers {@code cpu}, the kernels jar {@code opencl}. Each backend is opened once and
 * shared; the choice is logged once with the device name.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static final Map<String, Backend> OPEN = new ConcurrentHashMap<>();

    private Backends() {
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

    /** The backend of that name ({@code family} or {@code family:N}), opened on first use. */
    public static Backend get(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("cpu:0")) key = "cpu";
        if (key.equals("opencl")) key = "opencl:0";
        return OPEN.computeIfAbsent(key, Backends::open);
    }

    private static Backend open(String key) {
        int colon = key.indexOf(':');
        String family = colon < 0 ? key : key.substring(0, colon);
        int index;
        try {
            index = colon < 0 ? 0 : Integer.parseInt(key.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("backend '" + key + "': the device number after ':' is not a number");
        }
        Backend backend = provider(family).open(index);
        LOG.info("backend " + backend.name() + ": " + backend.deviceName());
        return backend;
    }

    private static BackendProvider provider(String family) {
        List<String> known = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (p.family().equals(family)) return p;
            known.add(p.family());
        }
        String hint = family.equals("opencl")
                ? " (the OpenCL backend lives in the deephash4j-kernels jar; put it on the class path)"
                : "";
        throw new IllegalArgumentException("unknown backend '" + family + "'; available: " + String.join(", ", known) + hint);
    }

    /** The registered providers, {@code cpu} first. */
    private static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(all::add);
        all.sort(Comparator.comparing(p -> !p.family().equals("cpu")));
        if (all.isEmpty() || !all.getFirst().family().equals("cpu")) {
            throw new IllegalStateException("the CPU backend provider is not registered: the engine jar's "
                    + "META-INF/services/org.deephash4j.backend.BackendProvider is missing (a repackaged jar?)");
        }
        return all;
    }

    /** Every device every provider can open, one line each, the CPU first. */
    public static List<String> describeDevices() {
        List<String> lines = new ArrayList<>();
        for (BackendProvider p : providers()) {
            try {
                lines.addAll(p.describeDevices());
            } catch (RuntimeException | LinkageError e) {
                lines.add(p.family() + ": " + e.getMessage());
            }
        }
        return lines;
    }
}
