package org.deephash4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deephash4j.data.ImageLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the fuzz corpus, {@code src/test/resources/org/deephash4j/fuzz/corpus/<target>/<case>}: every input
 * that once broke a reader (or that stands for a hostile case of issue 21), read under the fuzzer's rule; each
 * must be refused as a bad file.
 */
class ReaderRegressionTest {
    @TestFactory
    Stream<DynamicTest> everyCorpusCaseKeepsTheRule() throws IOException, URISyntaxException {
        URL url = ReaderRegressionTest.class.getResource("corpus");
        assertTrue(url != null, "the corpus folder is on the test class path");
        Path corpus = Path.of(url.toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> targets = Files.list(corpus)) {
            for (Path dir : targets.sorted().toList()) {
                FuzzTarget target = FuzzTargets.byName(dir.getFileName().toString());
                try (Stream<Path> cases = Files.list(dir)) {
                    for (Path c : cases.sorted().toList()) {
                        tests.add(DynamicTest.dynamicTest(target.name() + "/" + c.getFileName(), () -> replay(target, c)));
                    }
                }
            }
        }
        assertTrue(tests.size() >= 8, "corpus holds " + tests.size() + " cases");
        return tests.stream();
    }

    private static void replay(FuzzTarget target, Path file) throws IOException {
        String before = System.getProperty(ImageLoader.MAX_PIXELS_PROPERTY);
        System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, Long.toString(FuzzTargets.FUZZ_MAX_PIXELS));
        Path work = Files.createTempDirectory("corpus");
        try {
            ReaderFuzzTest.Outcome o = ReaderFuzzTest.run(target, Files.readAllBytes(file), work.resolve("case"));
            assertNull(o.failure(), file + ": " + o.failure());
            // every case is a bad file: refused with one error, not read as data
            assertTrue(o.cost().thrown() != null, file + " was read as a valid " + target.name());
        } finally {
            FuzzTargets.deleteTree(work);
            if (before == null) System.clearProperty(ImageLoader.MAX_PIXELS_PROPERTY);
            else System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, before);
        }
    }
}
