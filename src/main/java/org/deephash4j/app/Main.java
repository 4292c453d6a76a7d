package org.deephash4j.app;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.io.FormatException;
import org.deephash4j.model.InputMismatchException;
import org.deephash4j.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code deephash} command: {@code train}, {@code encode}, {@code search}, {@code eval},
 * {@code demo}, {@code devices}. Errors print one line on standard error and exit with a code
 * from {@link ExitCode}; {@code --verbose} adds the stack trace.
 */
@Command(name = "deephash", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Deep hashing for image retrieval: learn binary codes, index images, search by Hamming distance.",
        subcommands = {DemoCommand.class, TrainCommand.class, EncodeCommand.class, SearchCommand.class, EvalCommand.class, ReproduceCommand.class, DevicesCommand.class, DoctorCommand.class, MakeEmbeddedSubsetCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 bad command line, 3 bad input file, 4 training diverged, 5 device unavailable, 6 doctor check failed.",
                "Run with no command for the demo.", ""})
public final class Main implements Runnable {
    // Held for the life of the class: LogManager keeps loggers weakly, and a collected logger takes its
    // level with it, after which the engine's INFO lines reach standard error again.
    private static final Logger ENGINE_LOG = Logger.getLogger("org.deephash4j");

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces and engine log messages.")
    boolean verbose;

    @Option(names = "--max-image-pixels", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "Refuse image files of more than N pixels before decoding them (default 50000000).")
    void maxImagePixels(long n) {
        if (n < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--max-image-pixels " + n + ": expected at least 1");
        System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, Long.toString(n));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command; try deephash demo or deephash --help");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given streams for picocli's output and errors (tests use this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        System.setProperty("java.awt.headless", "true");
        boolean verbose = false;
        for (String a : args) if (a.equals("--verbose")) verbose = true;
        ENGINE_LOG.setLevel(verbose ? Level.INFO : Level.WARNING);
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr(), commandLineVerbose(parseResult)));
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("deephash: " + e.getMessage());
            w.println("Try 'deephash " + commandName(e.getCommandLine()) + "--help' for the options.");
            w.flush();
            return ExitCode.USAGE;
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler above; an Error gets the same one line.
            return report(e, err, verbose);
        }
    }

    private static boolean commandLineVerbose(CommandLine.ParseResult parseResult) {
        return parseResult.hasMatchedOption("--verbose")
                || (parseResult.subcommand() != null && commandLineVerbose(parseResult.subcommand()));
    }

    private static String commandName(CommandLine c) {
        return c.getParent() == null ? "" : c.getCommandName() + " ";
    }

    /** The logger whose level {@code --verbose} sets (kept referenced by this class). */
    static Logger engineLog() {
        return ENGINE_LOG;
    }

    /** One line on standard error and the exit code for {@code e}. */
    static int report(Throwable e, PrintWriter err, boolean verbose) {
        int code;
        String message;
        if (e instanceof CommandLine.ExecutionException x && x.getCause() instanceof Error cause) {
            return report(cause, err, verbose);
        }
        if (e instanceof OutOfMemoryError) {
            code = ExitCode.FAILURE;
            message = outOfMemory(e);
        } else if (e instanceof StackOverflowError) {
            code = ExitCode.FAILURE;
            message = "stack overflow (a bug in deephash4j: please report it with the command; --verbose prints where)";
        } else if (e instanceof Error) {
            code = ExitCode.FAILURE;
            message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } else if (e instanceof CommandFailure f) {
            code = f.exitCode();
            message = f.getMessage();
        } else if (e instanceof TrainingDivergedException) {
            code = ExitCode.DIVERGED;
            message = e.getMessage();
        } else if (e instanceof NoSuchFileException n) {
            code = ExitCode.BAD_INPUT;
            message = n.getFile() + ": " + (n.getReason() == null ? "no such file" : n.getReason());
        } else if (e instanceof AccessDeniedException a) {
            code = ExitCode.BAD_INPUT;
            message = a.getFile() + ": permission denied";
        } else if (e instanceof FileNotFoundException || e instanceof FormatException) {
            code = ExitCode.BAD_INPUT;
            message = e.getMessage();
        } else if (e instanceof IOException) {
            code = ExitCode.BAD_INPUT;
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } else if (e instanceof InputMismatchException) {
            code = ExitCode.BAD_INPUT;
            message = e.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = ExitCode.USAGE;
            message = e.getMessage();
        } else {
            code = ExitCode.FAILURE;
            message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        err.println("deephash: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    // What was being read (the readers name the file in the error) and how to give Java more heap.
    private static String outOfMemory(Throwable e) {
        String what = e.getMessage() != null && e.getMessage().startsWith("out of memory while reading")
                ? e.getMessage() : "out of memory";
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        return what + "; Java may use at most " + maxMiB + " MiB here: give it more with DEEPHASH_JAVA_OPTS=-Xmx8g ./deephash ..."
                + " (or java -Xmx8g ...)";
    }

    /** --version: the jar's implementation version, the JDK and whether the Vector API module is on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            return new String[] {
                "deephash4j " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), Vector API "
                        + (vector ? "on" : "off: start java with --add-modules jdk.incubator.vector"),
            };
        }
    }
}
