package org.deephash4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.io.FormatException;
import org.deephash4j.testing.HostileFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The seeded mutation fuzzer over every reader (issue 21). By default each target reads a fixed number of
 * mutants of its valid seeds ({@value #DEFAULT_INPUTS}), so every build tries the same inputs whatever the
 * machine's speed; with {@code -Ddeephash.fuzz.seconds} each target gets an equal share of a time budget
 * instead. The rule for every mutant:
 * <ul>
 * <li>the reader returns, or throws a {@link FormatException} that names the file (a list file may also name a
 *     missing image: {@link NoSuchFileException}); anything else (a RuntimeException, an Error, another
 *     IOException) is a crash;</li>
 * <li>it allocates at most {@value FuzzTarget#MULTIPLE} times the bytes it could read (the inflated bytes of
 *     gzip data) plus 8 MiB, plus the documented cap where there is one (images: the pixel limit);</li>
 * <li>it takes at most {@value #MAX_SECONDS_PER_INPUT} s.</li>
 * </ul>
 * A failing mutant is written to {@code target/fuzz-failures/<target>/} and the message gives the seed and
 * iteration that make it again; add it to {@code src/test/resources/org/deephash4j/fuzz/corpus/<target>/},
 * which {@link ReaderRegressionTest} replays on every build.
 *
 * <p>A time-budgeted run once failed in CI on an input that the same seed never reached here (a faster machine
 * tries more inputs), which is why the build's run is counted, not timed. A longer run, with another seed:
 * <pre>
 * mvn -B -o -pl engine test -Dtest=ReaderFuzzTest -Ddeephash.fuzz.seconds=1800 -Ddeephash.fuzz.seed=7
 * </pre>
 * and {@code -Ddeephash.fuzz.target=checkpoint} fuzzes one reader.
 */
class ReaderFuzzTest {
    static final int MAX_SECONDS_PER_INPUT = 10;
    static final int DEFAULT_INPUTS = 4000;
    private static String savedPixelLimit;

    @BeforeAll
    static void lowerPixelLimit() {
        savedPixelLimit = System.getProperty(ImageLoader.MAX_PIXELS_PROPERTY);
        System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, Long.toString(FuzzTargets.FUZZ_MAX_PIXELS));
    }

    @AfterAll
    static void restorePixelLimit() {
        if (savedPixelLimit == null) System.clearProperty(ImageLoader.MAX_PIXELS_PROPERTY);
        else System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, savedPixelLimit);
    }

    @TestFactory
    Stream<DynamicTest> everyReaderSurvivesItsMutants() throws IOException {
        String seconds = System.getProperty("deephash.fuzz.seconds", "");
        long inputs = Long.parseLong(System.getProperty("deephash.fuzz.inputs", Integer.toString(DEFAULT_INPUTS)));
        long seed = Long.parseLong(System.getProperty("deephash.fuzz.seed", "20261204"));
        String only = System.getProperty("deephash.fuzz.target", "");
        List<FuzzTarget> targets = new ArrayList<>();
        for (FuzzTarget t : FuzzTargets.all()) if (only.isEmpty() || only.equals(t.name())) targets.add(t);
        assertTrue(!targets.isEmpty(), "no fuzz target named '" + only + "'");
        // a time budget: an equal share for each target; otherwise a count of inputs for each
        long shareNanos = seconds.isEmpty() ? Long.MAX_VALUE : (long) (Double.parseDouble(seconds) * 1e9 / targets.size());
        long count = seconds.isEmpty() ? inputs : Long.MAX_VALUE;
        return targets.stream().map(t -> DynamicTest.dynamicTest(t.name(),
                () -> fuzz(t, seed + t.name().hashCode(), shareNanos, count)));
    }

    private static void fuzz(FuzzTarget target, long seed, long budgetNanos, long inputs) throws IOException {
        Mutator mutator = new Mutator(seed);
        long start = System.nanoTime();
        long iterations = 0, formatErrors = 0, maxAllocated = 0, maxNanos = 0;
        Path work = Files.createTempDirectory("fuzz-" + target.name());
        try {
            while (iterations < inputs && (System.nanoTime() - start < budgetNanos || iterations < 20)) {
                byte[] seedFile = target.seeds().get(mutator.random().nextInt(target.seeds().size()));
                byte[] input = target.finish().apply(mutator.mutate(seedFile, target.seeds()), mutator.random());
                Outcome o = run(target, input, work.resolve(Long.toString(iterations)));
                if (o.failure() != null) {
                    Path saved = save(target, seed, iterations, input);
                    fail(target.name() + " seed " + seed + " iteration " + iterations + " (" + input.length + " bytes, saved as "
                            + saved + "): " + o.failure(), o.cost().thrown());
                }
                if (o.cost().thrown() != null) formatErrors++;
                maxAllocated = Math.max(maxAllocated, o.cost().allocatedBytes());
                maxNanos = Math.max(maxNanos, o.cost().nanos());
                iterations++;
            }
        } finally {
            FuzzTargets.deleteTree(work);
        }
        System.out.printf("fuzz %-12s seed %d: %d inputs (%d refused as bad files), at most %.1f MB allocated and %.0f ms per input%n",
                target.name(), seed, iterations, formatErrors, maxAllocated / 1e6, maxNanos / 1e6);
    }

    /** How one input went: the cost, and what broke the rule (null when nothing did). */
    record Outcome(HostileFiles.Cost cost, String failure) {
    }

    /** Installs {@code input} under {@code dir} (created, then deleted), reads it, and checks the rule. */
    static Outcome run(FuzzTarget target, byte[] input, Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Path path = target.install().install(dir, input);
            HostileFiles.Cost cost = HostileFiles.measure(() -> target.read().read(path));
            return new Outcome(cost, check(target, input, cost));
        } finally {
            FuzzTargets.deleteTree(dir);
        }
    }

    private static String check(FuzzTarget target, byte[] input, HostileFiles.Cost cost) {
        Throwable t = cost.thrown();
        boolean allowed = t == null
                || t instanceof FormatException f && f.path() != null && f.getMessage() != null
                || t instanceof NoSuchFileException && target.name().equals("list-file");
        if (!allowed) return "crash: " + t;
        long limit = target.allowance(input);
        if (cost.allocatedBytes() > limit) {
            return "allocated " + cost.allocatedBytes() + " bytes, more than the rule allows (" + limit + ") for "
                    + FuzzTarget.readableBytes(input) + " readable bytes; outcome " + t;
        }
        if (cost.nanos() > MAX_SECONDS_PER_INPUT * 1_000_000_000L) return "took " + cost.nanos() / 1e9 + " s; outcome " + t;
        return null;
    }

    private static Path save(FuzzTarget target, long seed, long iteration, byte[] input) throws IOException {
        Path dir = Path.of("target", "fuzz-failures", target.name());
        Files.createDirectories(dir);
        Path p = dir.resolve("seed" + seed + "-" + iteration + ".bin");
        Files.write(p, input);
        return p.toAbsolutePath();
    }
}
