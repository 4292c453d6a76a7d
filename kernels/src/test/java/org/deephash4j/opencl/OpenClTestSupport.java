package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import org.deephash4j.backend.Backends;

/**
 * The one OpenCL backend the tests share (device opencl:0, opened once: PoCL compiles each
 * program at first use, so sharing keeps CI fast). Without an OpenCL platform a test is skipped
 * with the reason, unless OpenCL is required: {@code -Ddeephash.test.requireOpenCl=true} or the
 * environment variable {@code DEEPHASH_TEST_REQUIRE_OPENCL=true} (set by {@code .ci/run}, so that
 * CI runs the README's test command unchanged) turns the skip into a failure.
 */
final class OpenClTestSupport {
    static final boolean REQUIRED = Boolean.getBoolean("deephash.test.requireOpenCl")
            || "true".equalsIgnoreCase(System.getenv("DEEPHASH_TEST_REQUIRE_OPENCL"));

    private OpenClTestSupport() {
    }

    /** opencl:0, or a skip (a failure when OpenCL is required) when there is no platform. */
    static OpenClBackend backend() {
        requireOpenCl();
        return (OpenClBackend) Backends.get("opencl:0");
    }

    /** Skips (or fails, when required) unless an OpenCL device exists. */
    static void requireOpenCl() {
        String reason;
        try {
            if (!ClDevices.list().isEmpty()) return;
            reason = ClDevices.NO_PLATFORM;
        } catch (IllegalStateException e) {
            reason = e.getMessage();
        }
        if (REQUIRED) fail("OpenCL is required (deephash.test.requireOpenCl / DEEPHASH_TEST_REQUIRE_OPENCL) but " + reason);
        abort("skipped: " + reason);    // JUnit reports the test as skipped, with the reason
    }
}
