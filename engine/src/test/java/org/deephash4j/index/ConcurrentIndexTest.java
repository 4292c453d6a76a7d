package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches while another thread or another process appends, deletes and compacts: every snapshot a reader takes is
 * exactly one generation of {@link ChangeScript} (its live codes equal the replayed model's), and every search on it
 * equals brute force over that snapshot, by every method.
 */
class ConcurrentIndexTest {
    @TempDir
    Path dir;

    /** Reads until {@code stop}; returns the number of snapshots checked. Readers use their own CodeIndex. */
    private static int read(Path folder, AtomicBoolean stop, long seed) throws IOException {
        Random rnd = new Random(seed);
        ChangeScript.Model model = new ChangeScript.Model();
        int checked = 0;
        long lastGeneration = 0;
        try (CodeIndex index = CodeIndex.open(folder)) {
            while (!stop.get() || checked == 0) {
                try (IndexSnapshot s = index.snapshot()) {
                    long g = s.generation();
                    assertTrue(g >= lastGeneration, "generation went back from " + lastGeneration + " to " + g);
                    lastGeneration = g;
                    if (g < model.generation()) model = new ChangeScript.Model();
                    model.advanceTo(g);
                    BinaryCodes live = s.liveCodes();
                    assertEquals(model.codes(), ChangeScript.byId(live), "snapshot of generation " + g
                            + " holds other codes than that generation");
                    if (live.size() == 0) continue;
                    BinaryCodes q = RandomCodes.uniform(1, 64, rnd).concat(live.select(new int[] {rnd.nextInt(
                            live.size())}));
                    SearchMethod method = SearchMethod.values()[rnd.nextInt(3)];
                    SearchOptions o = SearchOptions.defaults().withMethod(method).withThreads(1 + rnd.nextInt(2));
                    for (int qi = 0; qi < q.size(); qi++) {
                        int k = 1 + rnd.nextInt(50);
                        assertEquals(IndexOracle.knn(live, q, qi, k), s.knn(q, qi, k, o), "generation " + g + " "
                                + method + " k=" + k);
                        assertEquals(IndexOracle.radius(live, q, qi, 3), s.radius(q, qi, 3, o), "generation " + g
                                + " " + method + " radius 3");
                    }
                    checked++;
                }
            }
        }
        return checked;
    }

    @Test
    void readersInThisProcessWhileAThreadChangesTheIndex() throws Exception {
        Path folder = dir.resolve("threads");
        CodeIndex.create(folder, ChangeScript.BITS).close();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (CodeIndex writer = CodeIndex.open(folder)) {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long seed = r;
                readers.add(pool.submit(() -> read(folder, stop, seed)));
            }
            // a reader on the writer's own CodeIndex too
            AtomicInteger ownChecks = new AtomicInteger();
            Future<?> own = pool.submit(() -> {
                while (!stop.get()) {
                    try (IndexSnapshot s = writer.snapshot()) {
                        ChangeScript.Model m = new ChangeScript.Model();
                        m.advanceTo(s.generation());
                        assertEquals(m.codes(), ChangeScript.byId(s.liveCodes()), "own snapshot " + s.generation());
                        ownChecks.incrementAndGet();
                    }
                }
                return null;
            });
            long g = 1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (g < 40 || System.nanoTime() < deadline && g < 200) g = ChangeScript.step(writer);
            stop.set(true);
            int checked = 0;
            for (Future<Integer> f : readers) checked += f.get(60, TimeUnit.SECONDS);
            own.get(60, TimeUnit.SECONDS);
            assertTrue(checked >= 10, "only " + checked + " snapshots checked");
            assertTrue(ownChecks.get() >= 5, "only " + ownChecks.get() + " own snapshots checked");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void readersWhileAnotherProcessChangesTheIndex() throws Exception {
        Path folder = dir.resolve("process");
        CodeIndex.create(folder, ChangeScript.BITS).close();
        Process writer = IndexKillTest.startWriter(folder, 60);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reader = pool.submit(() -> read(folder, stop, 99));
            assertTrue(writer.waitFor(120, TimeUnit.SECONDS), "the writer process did not finish");
            String out = new String(writer.getInputStream().readAllBytes());
            assertEquals(0, writer.exitValue(), "writer process failed:\n" + out);
            stop.set(true);
            assertTrue(reader.get(60, TimeUnit.SECONDS) >= 5, "too few snapshots checked");
            try (CodeIndex index = CodeIndex.open(folder); IndexSnapshot s = index.snapshot()) {
                assertEquals(61, s.generation());
            }
        } finally {
            stop.set(true);
            writer.destroyForcibly();
            pool.shutdownNow();
        }
    }
}
