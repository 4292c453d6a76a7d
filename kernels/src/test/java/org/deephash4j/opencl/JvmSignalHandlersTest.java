package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The JVM keeps its signal handlers across OpenCL driver calls (PoCL's LLVM replaces them with
 * handlers that reset themselves, which killed the JVM with SIGSEGV now and then; see
 * {@link JvmSignalHandlers}). Linux only, without libjsig preloaded (the test JVM has neither).
 */
class JvmSignalHandlersTest {
    private static final int SIGSEGV = 11, SIGBUS = 7, SIGILL = 4, SIGUSR2 = 12, SIGXCPU = 24;
    // glibc's struct sigaction on x86-64 and AArch64: handler (8 bytes), mask (128), then int sa_flags.
    private static final int FLAGS_OFFSET = 136;
    private static final int SA_SIGINFO = 0x4, SA_RESETHAND = 0x80000000;

    @Test
    void aHandlerReplacedInsideTheCallIsPutBackAfterIt() {
        byte[] before = JvmSignalHandlers.handlerBytes(SIGXCPU);
        assumeTrue(before != null, "signal handlers are guarded on Linux only");
        byte[] ignore = before.clone();
        Arrays.fill(ignore, 0, 8, (byte) 0);
        ignore[0] = 1;                                         // sa_handler = SIG_IGN (1)
        byte[] inside = JvmSignalHandlers.keep(() -> {
            assertTrue(JvmSignalHandlers.install(SIGXCPU, ignore));
            return JvmSignalHandlers.handlerBytes(SIGXCPU);
        });
        assertFalse(Arrays.equals(before, inside), "the install inside the call took effect");
        assertArrayEquals(before, JvmSignalHandlers.handlerBytes(SIGXCPU));
        assertTrue(JvmSignalHandlers.restoredSignals().contains(SIGXCPU));
    }

    @Test
    void theJvmStillHoldsItsHandlersAfterTheDriverStartedAndBuiltAProgram() {
        assumeTrue(JvmSignalHandlers.handlerBytes(SIGSEGV) != null, "signal handlers are guarded on Linux only");
        OpenClBackend backend = OpenClTestSupport.backend();   // lists devices, opens a context
        backend.programs().build("probe.cl", "__kernel void probe(__global float* x) { x[0] = 1.0f; }", "");
        for (int signal : new int[] {SIGSEGV, SIGBUS, SIGILL, SIGUSR2}) {
            byte[] handler = JvmSignalHandlers.handlerBytes(signal);
            assertNotNull(handler);
            int flags = ByteBuffer.wrap(handler, FLAGS_OFFSET, 4).order(ByteOrder.nativeOrder()).getInt();
            // The JVM installs with SA_SIGINFO and without SA_RESETHAND; LLVM's handlers are the other way round.
            assertEquals(SA_SIGINFO, flags & SA_SIGINFO, "signal " + signal + ": flags " + Integer.toHexString(flags));
            assertEquals(0, flags & SA_RESETHAND, "signal " + signal + ": flags " + Integer.toHexString(flags));
        }
        assertTrue(backend.deviceFacts().get("JVM signal handlers").startsWith("guarded"));
    }
}
