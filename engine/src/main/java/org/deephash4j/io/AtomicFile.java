package org.deephash4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one, never half of it: the bytes go
 * to a temporary file in the same directory, which is forced to disk (fsync) and then renamed over the target
 * (an atomic move on POSIX file systems); the directory is then forced too where the platform allows. On any
 * failure the temporary file is deleted and the target is left untouched.
 *
 * <p>The new file keeps the permissions of the file it replaces (a new file gets the usual ones, the umask
 * applied). The temporary file is named {@code .<target>.<pid>.<random>.tmp}: a process killed during a write
 * cannot delete it, so each write first removes the temporary files of its target whose process is gone.
 */
public final class AtomicFile {
    /** The body of a write: puts the whole file on {@code out}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /** Writes {@code target} atomically with the bytes {@code body} produces. */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        String prefix = "." + absolute.getFileName() + ".";
        removeAbandoned(dir, prefix);
        Path tmp = createTemp(dir, prefix);
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            keepPermissions(absolute, tmp);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + absolute + " atomically (the file system does not support "
                        + "an atomic rename)", e);
            }
            done = true;
            forceDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    // A fresh name created with the default permissions (Files.createTempFile would make it 0600).
    private static Path createTemp(Path dir, String prefix) throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(prefix + pid + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw e;
            }
        }
    }

    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) return;
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's defaults apply.
        }
    }

    /** Deletes {@code dir/<prefix><pid>.<random>.tmp} files whose writing process no longer runs. */
    static void removeAbandoned(Path dir, String prefix) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> isAbandoned(p.getFileName().toString(), prefix))) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    private static boolean isAbandoned(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.endsWith(".tmp")) return false;
        String rest = name.substring(prefix.length(), name.length() - ".tmp".length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || rest.indexOf('.', dot + 1) >= 0) return false;
        long pid;
        try {
            pid = Long.parseLong(rest.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) return false;   // our own writes delete their files
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** Makes renames in {@code dir} durable; some platforms cannot open a directory, and then the rename alone must do. */
    public static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not fatal: the data is on disk; only the directory entry's durability is weaker here.
        }
    }
}
