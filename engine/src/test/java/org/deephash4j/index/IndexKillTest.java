package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments: a child JVM runs {@link ChangeScript} (append, delete, compact, each with its fsyncs
 * and renames) and is killed with destroyForcibly after a random delay, many times. After every kill the index must
 * open, pass {@link CodeIndex#verify()}, hold exactly the codes of one generation of the script (the old version or
 * the new one, never a mix) and answer searches as brute force does; the next change removes whatever the killed
 * one left. Bounded: about 40 kills, well under a minute on two cores.
 */
class IndexKillTest {
    private static final int KILLS = Integer.getInteger("deephash.kill.rounds", 40);

    @TempDir
    Path dir;

    /** Child entry point: {@code folder maxChanges}; applies changes until killed or done. */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int changes = Integer.parseInt(args[1]);
        try (CodeIndex index = CodeIndex.open(folder)) {
            for (int i = 0; i < changes; i++) {
                long g = ChangeScript.step(index);
                System.out.println("generation " + g);
            }
        }
    }

    static Process startWriter(Path folder, int changes) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), IndexKillTest.class.getName(), folder.toString(),
                Integer.toString(changes)).redirectErrorStream(true).start();
    }

    @Test
    void killedChangesLeaveTheOldOrTheNewIndex() throws Exception {
        Path folder = dir.resolve("index");
        CodeIndex.create(folder, ChangeScript.BITS).close();
        Random rnd = new Random(1818);
        ChangeScript.Model model = new ChangeScript.Model();
        long lastGeneration = 1;
        int interrupted = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = startWriter(folder, 1000);
            Thread.sleep(150 + rnd.nextInt(900));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not end");
            try (CodeIndex index = CodeIndex.open(folder)) {
                index.verify();
                try (IndexSnapshot s = index.snapshot()) {
                    long g = s.generation();
                    assertTrue(g >= lastGeneration, "kill " + kill + ": generation went back from " + lastGeneration
                            + " to " + g);
                    lastGeneration = g;
                    model.advanceTo(g);
                    BinaryCodes live = s.liveCodes();
                    assertEquals(model.codes(), ChangeScript.byId(live), "kill " + kill + ": generation " + g
                            + " is not what that generation holds");
                    if (live.size() > 0) {
                        BinaryCodes q = RandomCodes.uniform(1, ChangeScript.BITS, rnd).concat(live.select(
                                new int[] {rnd.nextInt(live.size())}));
                        for (SearchMethod m : SearchMethod.values()) {
                            SearchOptions o = SearchOptions.defaults().withMethod(m);
                            for (int qi = 0; qi < q.size(); qi++) {
                                assertEquals(IndexOracle.knn(live, q, qi, 20), s.knn(q, qi, 20, o), "kill " + kill);
                                assertEquals(IndexOracle.radius(live, q, qi, 4), s.radius(q, qi, 4, o), "kill " + kill);
                            }
                        }
                    }
                }
            }
            if (leftovers(folder) > 0) interrupted++;
        }
        assertTrue(lastGeneration > 10, "the children made only " + lastGeneration + " generations");
        // One more change cleans whatever the last kill left.
        try (CodeIndex index = CodeIndex.open(folder)) {
            ChangeScript.step(index);
        }
        assertEquals(0, leftovers(folder), "files of killed changes remain: " + CodeIndexTest.names(folder));
        System.out.println("IndexKillTest: " + KILLS + " kills, generation " + lastGeneration + ", " + interrupted
                + " kills left files of an unfinished change");
    }

    /** Files of the folder that the current manifest does not name (besides MANIFEST and LOCK). */
    private static int leftovers(Path folder) throws IOException {
        Manifest m = Manifest.read(folder);
        List<String> names = CodeIndexTest.names(folder);
        int extra = 0;
        for (String n : names) {
            if (n.equals("MANIFEST") || n.equals("LOCK")) continue;
            boolean named = false;
            for (Manifest.Entry e : m.segments()) {
                named |= n.equals(IndexFormat.segmentName(e.number()))
                        || (e.substrings() > 0 && n.equals(IndexFormat.multiIndexName(e.number())))
                        || (e.tombstones() > 0 && n.equals(IndexFormat.tombstoneName(e.number(), e.tombstones())));
            }
            if (!named) extra++;
        }
        return extra;
    }

    @Test
    void aHalfWrittenSegmentIsNeverRead() throws IOException {
        // The deterministic counterpart: files of a change that never reached its manifest rename are invisible.
        Path folder = dir.resolve("half");
        try (CodeIndex index = CodeIndex.create(folder, 64)) {
            index.append(CodeBatch.of(RandomCodes.uniform(100, 64, new Random(1))));
        }
        Files.write(folder.resolve("seg-2.dhseg"), new byte[] {1, 2, 3});
        Files.write(folder.resolve(".MANIFEST.1234.tmp"), new byte[] {4, 5});
        try (CodeIndex index = CodeIndex.open(folder); IndexSnapshot s = index.snapshot()) {
            assertEquals(100, s.size());
            assertEquals(1, s.segments());
        }
    }
}
