package org.deephash4j.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.IndexStats;
import org.deephash4j.io.FormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deephash index info|delete|compact}: the changes of an index folder other than appending (which is
 * {@code encode --append}). Each change is atomic: a run killed at any moment leaves the old or the new index.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Inspect and change an index folder (append with 'encode --append').",
            "Examples: deephash index info --index db",
            "          deephash index delete --index db --ids stale.txt",
            "          deephash index compact --index db"},
        subcommands = {IndexCommand.Info.class, IndexCommand.Delete.class, IndexCommand.Compact.class})
final class IndexCommand implements Runnable {
    @Override
    public void run() {
        throw new CommandFailure(ExitCode.USAGE, "index: missing subcommand: info, delete or compact (deephash index --help)");
    }

    /**
     * Opens an index folder or version-1 file for searching; a damaged file's error also names the index (the
     * engine names the file inside the folder).
     */
    static CodeIndex open(Path index) throws IOException {
        try {
            return CodeIndex.open(index);
        } catch (FormatException e) {
            if (e.getMessage() != null && e.getMessage().contains(index.getFileName().toString())) throw e;
            throw new CommandFailure(ExitCode.BAD_INPUT, index + ": " + e.getMessage(), e);
        }
    }

    static CodeIndex openFolder(Path index) throws IOException {
        if (!Files.isDirectory(index)) {
            if (Files.isRegularFile(index)) {
                throw new CommandFailure(ExitCode.BAD_INPUT, index + " is a version-1 index file, which cannot be changed; "
                        + "encode the images again into an index folder (encode --out DIR)");
            }
            throw new NoSuchFileException(index.toString(), null, "no index folder");
        }
        return open(index);
    }

    static void printStats(String what, IndexStats s) {
        System.out.printf(Locale.ROOT, "%s%d codes of %d bits (%d deleted, gone at the next compact) in %d segment%s "
                        + "(%d with multi-index tables), version %d, %.1f MB%n", what, s.live(), s.bits(), s.deleted(),
                s.segments(), s.segments() == 1 ? "" : "s", s.withTables(), s.generation(), s.bytes() / 1e6);
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print what the index holds.")
    static final class Info implements Callable<Integer> {
        @Option(names = "--index", required = true, paramLabel = "PATH", description = "Index folder (or version-1 file).")
        Path index;

        @Override
        public Integer call() throws IOException {
            try (CodeIndex db = open(index)) {
                printStats(index + ": ", db.stats());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete the codes of the ids in FILE (ids separated by white space or lines; '#' starts a comment; "
                    + "ids not in the index are ignored).")
    static final class Delete implements Callable<Integer> {
        @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index folder.")
        Path index;

        @Option(names = "--ids", required = true, paramLabel = "FILE", description = "Text file of ids to delete.")
        Path ids;

        @Override
        public Integer call() throws IOException {
            long[] toDelete = readIds(ids);
            try (CodeIndex db = openFolder(index)) {
                long deleted = db.delete(toDelete);
                printStats("deleted " + deleted + " of " + toDelete.length + " ids; now ", db.stats());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = "Rewrite the live codes into one segment (deleted codes are gone, multi-index tables rebuilt).")
    static final class Compact implements Callable<Integer> {
        @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index folder.")
        Path index;

        @Override
        public Integer call() throws IOException {
            try (CodeIndex db = openFolder(index)) {
                long t0 = System.nanoTime();
                db.compact();
                printStats(String.format(Locale.ROOT, "compacted in %.1f s: ", (System.nanoTime() - t0) / 1e9), db.stats());
            }
            return ExitCode.OK;
        }
    }

    /** The ids of a text file: decimal integers separated by white space, '#' to the end of a line a comment. */
    static long[] readIds(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.exists(file) ? "not a regular file" : "no such file");
        }
        long[] out = new long[64];
        int n = 0;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (text.isEmpty()) continue;
                for (String token : text.split("\\s+")) {
                    try {
                        if (n == out.length) out = Arrays.copyOf(out, 2 * n);
                        out[n++] = Long.parseLong(token);
                    } catch (NumberFormatException e) {
                        throw new CommandFailure(ExitCode.BAD_INPUT, file + ": line " + lineNo + ": '"
                                + (token.length() > 40 ? token.substring(0, 40) + "..." : token) + "' is not an id");
                    }
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
