package org.deephash4j.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Keeps the JVM's signal handlers in place across calls into an OpenCL driver.
 *
 * <p>Why: PoCL (the OpenCL device on the CPU) links LLVM, and LLVM installs its own handlers
 * for SIGSEGV, SIGBUS, SIGILL, SIGUSR2, SIGINT, SIGTERM and others when it starts, with
 * {@code SA_RESETHAND}. The JVM takes SIGSEGV in normal running (every safepoint poll of
 * compiled code, implicit null checks). The first such fault after LLVM's install runs LLVM's
 * handler, which resets the signal to its default action; a second thread faulting in that
 * moment kills the process (exit 139, no hs_err file). With two compute threads meeting a
 * safepoint together this happened in 4 of 60 short runs on this project's machine, and once in
 * CI ({@code deephash doctor}, two seconds in).
 *
 * <p>What: around each driver call that may load or start LLVM, {@link #keep} reads the handlers
 * of those signals before the call and puts back any the call replaced. Start the JVM with
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so} (the JVM's documented signal chaining, which the
 * {@code deephash} launcher does) to close the short window while the driver call runs; with
 * libjsig loaded this class does nothing, since libjsig already keeps the JVM's handlers.
 * Linux on x86-64 and AArch64 only (glibc's struct sigaction layout); elsewhere it does nothing.
 */
final class JvmSignalHandlers {
    /**
     * The signals LLVM's handlers take, by their Linux numbers (the same on x86-64 and AArch64):
     * HUP, INT, QUIT, ILL, TRAP, ABRT, BUS, FPE, SEGV, USR2, PIPE, TERM, XCPU, XFSZ, SYS.
     */
    private static final int[] SIGNALS = {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 15, 24, 25, 31};
    /**
     * glibc's struct sigaction on x86-64 and AArch64 is 152 bytes: the handler (8), a 128-byte
     * sigset_t of which the kernel uses the first 8 (64 signals), sa_flags (4, then 4 of padding)
     * and sa_restorer (8). glibc leaves stack bytes in the unused part of the mask when it reads a
     * handler, so {@link #handlerBytes} zeroes them: equal bytes then mean the same handler.
     */
    private static final int SIGACTION_BYTES = 152, MASK_USED_END = 16, FLAGS_AT = 136;
    /** The JVM was started with libjsig preloaded: it keeps its handlers itself. */
    private static final boolean LIBJSIG = System.getenv().getOrDefault("LD_PRELOAD", "").contains("libjsig");
    private static final MethodHandle SIGACTION = sigactionHandle();
    private static volatile List<Integer> restored = List.of();

    private JvmSignalHandlers() {
    }

    /**
     * Runs {@code driverCall}, then restores any of the JVM's handlers it replaced. One call at a
     * time: a second thread reading the handlers while the first call has them replaced would
     * otherwise take the driver's for the JVM's and put those back.
     */
    static synchronized <T> T keep(Supplier<T> driverCall) {
        if (SIGACTION == null) return driverCall.get();
        byte[][] before = read();
        try {
            return driverCall.get();
        } finally {
            restore(before);
        }
    }

    /** The signals whose handlers were put back so far (for the doctor's facts and the tests). */
    static List<Integer> restoredSignals() {
        return restored;
    }

    /** One line for the doctor: how the handlers are kept, and which the driver replaced. */
    static String describe() {
        if (LIBJSIG) return "kept by libjsig (LD_PRELOAD)";
        if (SIGACTION == null) return "not guarded (Linux on x86-64 or AArch64 only, with native access)";
        List<String> names = new ArrayList<>();
        for (int signal : restored) names.add(Integer.toString(signal));
        return names.isEmpty() ? "guarded; no driver call replaced them"
                : "guarded; put back after the driver replaced signals " + String.join(", ", names)
                        + " (start with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so to close the window)";
    }

    /** The current handler of {@code signal} as sigaction's bytes, or null when not active (tests). */
    static byte[] handlerBytes(int signal) {
        if (SIGACTION == null) return null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION_BYTES);
            if (call(signal, MemorySegment.NULL, old) != 0) return null;
            byte[] bytes = old.toArray(JAVA_BYTE);
            Arrays.fill(bytes, MASK_USED_END, FLAGS_AT, (byte) 0);
            return bytes;
        }
    }

    private static byte[][] read() {
        byte[][] handlers = new byte[SIGNALS.length][];
        for (int i = 0; i < SIGNALS.length; i++) handlers[i] = handlerBytes(SIGNALS[i]);
        return handlers;
    }

    private static void restore(byte[][] before) {
        List<Integer> now = new ArrayList<>(restored);
        for (int i = 0; i < SIGNALS.length; i++) {
            if (before[i] == null || Arrays.equals(before[i], handlerBytes(SIGNALS[i]))) continue;
            if (install(SIGNALS[i], before[i]) && !now.contains(SIGNALS[i])) now.add(SIGNALS[i]);
        }
        restored = List.copyOf(now);
    }

    /** Installs {@code action} (sigaction's bytes, as {@link #handlerBytes} gives them) for {@code signal}. */
    static boolean install(int signal, byte[] action) {
        if (SIGACTION == null) return false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = arena.allocate(SIGACTION_BYTES);
            act.copyFrom(MemorySegment.ofArray(action));
            return call(signal, act, MemorySegment.NULL) == 0;
        }
    }

    private static int call(int signal, MemorySegment act, MemorySegment old) {
        try {
            return (int) SIGACTION.invokeExact(signal, act, old);
        } catch (Throwable e) {
            return -1;
        }
    }

    private static MethodHandle sigactionHandle() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        boolean knownLayout = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
        if (!os.contains("linux") || !knownLayout || LIBJSIG) return null;
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("sigaction")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;  // no native access granted, or no libc: run without the guard
        }
    }
}
