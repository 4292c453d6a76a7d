package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deephash doctor}: the CPU passes with exit code 0 and prints one JSON object with
 * --json; a device that does not exist exits with 5 and says why. (The doctor itself, a failing
 * kernel and the JSON's contents are tested in the engine's DoctorTest.)
 */
class DoctorCommandTest {
    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void cpuPassesAndPrintsJson() throws IOException {
        Path file = dir.resolve("doctor.json");
        Outcome o = run("doctor", "--device", "cpu", "--checks-only", "--json", "--json-file", file.toString());
        assertEquals(ExitCode.OK, o.code(), o.err() + o.out());
        String json = o.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertTrue(json.contains("\"passed\": true") && json.contains("\"backend\": \"cpu\"")
                && json.contains("\"kernel\": \"gemm\""), json);
        assertTrue(o.err().contains("cpu: check gemm"), "progress on standard error: " + o.err());
        assertEquals(o.out(), Files.readString(file), "--json-file holds the same object");
    }

    @Test
    void aMissingDeviceExitsWithTheDeviceCode() {
        Outcome o = run("doctor", "--device", "opencl:99", "--checks-only");
        assertEquals(ExitCode.DEVICE, o.code(), o.err() + o.out());
        assertTrue(o.out().contains("deephash doctor: FAILED") && o.out().contains("cannot open opencl:99"), o.out());
        Outcome unknown = run("doctor", "--device", "tpu:0", "--checks-only");
        assertEquals(ExitCode.DEVICE, unknown.code(), unknown.out());
        assertTrue(unknown.out().contains("unknown backend 'tpu'"), unknown.out());
    }
}
