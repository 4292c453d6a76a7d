package org.deephash4j.backend.cpu;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The one place that chooses between the Vector API kernels and the scalar reference kernels, for
 * the CPU backend and for the Hamming search alike: {@code vector} when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and {@code VectorKernels} is on the class path,
 * else {@code reference}, with one log line saying why. The system property
 * {@code -Ddeephash.cpu.kernels=reference|vector} forces a set.
 *
 * <p>{@code VectorKernels} is loaded by name only after the module check (as apache/lucene's
 * {@code VectorizationProvider} does), so this class never links against
 * {@code jdk.incubator.vector} and the engine runs on a JVM without it.
 */
public final class CpuKernelSets {
    /** The system property that forces a kernel set. */
    public static final String PROPERTY = "deephash.cpu.kernels";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "org.deephash4j.backend.cpu.VectorKernels";
    private static final Logger LOG = Logger.getLogger(CpuKernelSets.class.getName());
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private CpuKernelSets() {
    }

    /** The forced set if {@value #PROPERTY} is set, else the vector set if it can run, else the reference set. */
    public static CpuKernels best() {
        return named(choice());
    }

    /** True when {@link #best()} picks the Vector API set; the Hamming search follows the same choice. */
    public static boolean vectorChosen() {
        return choice().equals("vector");
    }

    // The name of the set best() returns, decided without building it; a fallback is logged once.
    private static String choice() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            String key = forced.trim().toLowerCase(Locale.ROOT);
            if (!key.equals("reference") && !key.equals("vector")) {
                throw new IllegalArgumentException("unknown CPU kernel set '" + forced + "'; expected reference or vector");
            }
            return key;
        }
        if (!vectorModulePresent()) {
            logFallbackOnce("Vector API not available (start java with --add-modules jdk.incubator.vector); "
                    + "using scalar reference kernels");
            return "reference";
        }
        try {
            Class.forName(VECTOR_CLASS, false, CpuKernelSets.class.getClassLoader());
            return "vector";
        } catch (ClassNotFoundException | LinkageError e) {
            logFallbackOnce("Vector kernels could not be loaded (" + e + "); using scalar reference kernels");
            return "reference";
        }
    }

    /**
     * The set called {@code reference} or {@code vector}; IllegalArgumentException for another
     * name, or for {@code vector} when the Vector API module or the class is missing.
     */
    public static CpuKernels named(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "reference":
                return new ReferenceKernels();
            case "vector":
                if (!vectorModulePresent()) {
                    throw new IllegalArgumentException("CPU kernels 'vector' need the Vector API: start java with "
                            + "--add-modules jdk.incubator.vector (or use " + PROPERTY + "=reference)");
                }
                try {
                    return loadVector();
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalArgumentException("CPU kernels 'vector': cannot load " + VECTOR_CLASS + ": " + e, e);
                }
            default:
                throw new IllegalArgumentException("unknown CPU kernel set '" + name + "'; expected reference or vector");
        }
    }

    /** True when the JVM was started with the Vector API module in its boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static CpuKernels loadVector() throws ReflectiveOperationException {
        Class<?> type = Class.forName(VECTOR_CLASS, true, CpuKernelSets.class.getClassLoader());
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return (CpuKernels) constructor.newInstance();
    }

    private static void logFallbackOnce(String message) {
        if (FALLBACK_LOGGED.compareAndSet(false, true)) LOG.info(message);
    }
}
