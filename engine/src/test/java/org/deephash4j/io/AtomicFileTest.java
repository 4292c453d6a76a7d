package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFile's promises: old or new content, the replaced file's mode, no temp file left by a killed writer. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private static List<Path> temps(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static void write(Path p, String text) throws IOException {
        AtomicFile.write(p, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aReplacedFileKeepsItsMode() throws IOException {
        Path p = dir.resolve("model.safetensors");
        write(p, "first");
        for (String mode : new String[] {"rw-r--r--", "rw-rw-r--", "rw-------", "rwxr-x---"}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
            write(p, "again " + mode);
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), "after replacing a " + mode + " file");
            assertEquals("again " + mode, Files.readString(p));
        }
    }

    @Test
    void aNewFileGetsTheUsualModeNotTheTempFileMode() throws IOException {
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "made by Files.writeString");
        Path atomic = dir.resolve("atomic.txt");
        write(atomic, "made by AtomicFile");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void tempFilesOfAKilledWriterAreRemovedOnTheNextWrite() throws Exception {
        Path target = dir.resolve("codes.dhi");
        write(target, "old");
        // A child JVM writes the target slowly; it is killed (SIGKILL) once its temp file exists.
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), SlowAtomicWriter.class.getName(), target.toString());
        for (int run = 0; run < 3; run++) {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (temps(dir).isEmpty() && System.nanoTime() < deadline && child.isAlive()) Thread.sleep(10);
            assertFalse(temps(dir).isEmpty(), "the child started its write");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals("old", Files.readString(target), "a killed write leaves the old file");
            // the killed write left its temp file; the one before it was removed by this child's own write
            assertEquals(1, temps(dir).size(), "run " + run + ": " + temps(dir));
        }
        // A temp file of a process that still runs (ours, another name) is left alone.
        Path foreign = dir.resolve(".codes.dhi." + ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L) + ".abc.tmp");
        Files.writeString(foreign, "someone else's write in progress");
        write(target, "new");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(foreign), temps(dir), "the dead writers' temp files are gone, the live one stays");
    }

    /** The child: starts an atomic write of its argument and never finishes it. */
    public static final class SlowAtomicWriter {
        public static void main(String[] args) throws IOException {
            AtomicFile.write(Path.of(args[0]), out -> {
                out.write("partial".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
