package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.deephash4j.io.FormatException;
import org.deephash4j.io.IndexFile;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over every reader of an index: the manifest, segments, multi-index tables, tombstones
 * and version-1 files. Each round copies a valid index, mutates one file (bit flips, truncation, splices of its own
 * bytes, size fields grown to huge values, appended garbage; half of the rounds then repair the header checksums,
 * so the field checks behind them are reached), then opens it, searches it by every method, reads side data and
 * verifies it. The rule: the only failure is a {@link FormatException} (possibly inside an UncheckedIOException),
 * a change to a file is always detected when its checksums were left alone, and no round allocates more than a
 * small multiple of the index's bytes. Rounds: {@code -Ddeephash.fuzz.rounds=N} (default 500; a longer run:
 * {@code mvn -pl engine test -Dtest=IndexReadersFuzzTest -Ddeephash.fuzz.rounds=20000}).
 */
class IndexReadersFuzzTest {
    private static final int ROUNDS = Integer.getInteger("deephash.fuzz.rounds", 500);
    private static final long SEED = Long.getLong("deephash.fuzz.seed", 2118L);

    @TempDir
    Path dir;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static Path pristine(Path folder, Random rnd) throws IOException {
        try (CodeIndex index = CodeIndex.create(folder, 40)) {
            for (int s = 0; s < 2; s++) {
                int n = s == 0 ? 300 : 200;
                BinaryCodes codes = RandomCodes.clustered(n, 40, 5, 0.1, rnd).withIds(IndexOracle.shuffledIds(n, s, 2,
                        rnd));
                int[] labels = new int[n];
                String[] sources = new String[n];
                float[] features = new float[2 * n];
                for (int i = 0; i < n; i++) {
                    labels[i] = i % 7;
                    sources[i] = "img/" + codes.id(i) + ".jpg";
                    features[2 * i] = i;
                }
                // segment 1: direct tables (default substrings); segment 2: 2 hashed tables of 20 bits
                index.append(CodeBatch.of(codes).withLabels(labels).withSources(sources).withFeatures(features, 2),
                        s == 0 ? -1 : 2);
            }
            index.delete(0, 1, 2, 3, 10, 11);
        }
        return folder;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    private static long folderBytes(Path folder) throws IOException {
        long total = 0;
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) total += Files.size(f);
        }
        return total;
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
        }
        Files.delete(folder);
    }

    /** One random mutation of {@code b}, described in {@code what}. */
    static byte[] mutate(byte[] b, Random rnd, StringBuilder what) {
        if (b.length == 0) {
            what.append("grow empty file");
            byte[] g = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(g);
            return g;
        }
        switch (rnd.nextInt(6)) {
            case 0 -> {
                byte[] m = b.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = rnd.nextInt(m.length);
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                    what.append("flip byte ").append(at).append("; ");
                }
                return m;
            }
            case 1 -> {
                int at = rnd.nextInt(b.length);
                what.append("truncate to ").append(at);
                return Arrays.copyOf(b, at);
            }
            case 2 -> {
                int len = 1 + rnd.nextInt(Math.min(256, b.length));
                int from = rnd.nextInt(b.length - len + 1);
                int to = rnd.nextInt(b.length - len + 1);
                byte[] m = b.clone();
                System.arraycopy(b, from, m, to, len);
                what.append("splice ").append(len).append(" bytes from ").append(from).append(" to ").append(to);
                return m;
            }
            case 3 -> {
                // Grow a size field: an aligned 4- or 8-byte word near the start set to a huge or negative value.
                byte[] m = b.clone();
                int width = rnd.nextBoolean() ? 4 : 8;
                int limit = Math.min(m.length, 160) / width;
                if (limit == 0) return m;
                int at = width * rnd.nextInt(limit);
                long[] values = {-1L, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 40, Long.MAX_VALUE,
                        (1L << 31) - 8, 3, 0};
                long v = values[rnd.nextInt(values.length)];
                ByteBuffer buf = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
                if (width == 4) buf.putInt(at, (int) v); else buf.putLong(at, v);
                what.append("field at ").append(at).append(" (").append(width).append(" bytes) = ").append(v);
                return m;
            }
            case 4 -> {
                byte[] m = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(4096));
                for (int i = b.length; i < m.length; i++) m[i] = (byte) rnd.nextInt();
                what.append("append ").append(m.length - b.length).append(" bytes");
                return m;
            }
            default -> {
                what.append("empty file");
                return new byte[0];
            }
        }
    }

    private static int crc(byte[] b, int from, int len) {
        CRC32C c = new CRC32C();
        c.update(b, from, len);
        return (int) c.getValue();
    }

    /** Recomputes the checksums a reader checks first, so that the mutated fields themselves are checked. */
    static void repairChecksums(String name, byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (name.equals("MANIFEST") && b.length >= 4) {
            buf.putInt(b.length - 4, crc(b, 0, b.length - 4));
        } else if (name.endsWith(".dhseg") && b.length >= 128) {
            buf.putInt(124, crc(b, 0, 124));
        } else if (name.endsWith(".dhdel") && b.length >= 40) {
            buf.putInt(32, crc(b, 40, b.length - 40));
            buf.putInt(36, crc(b, 0, 36));
        } else if (name.endsWith(".dhmih") && b.length >= 48) {
            buf.putInt(44, crc(b, 0, 44));
            int m = buf.getInt(24);
            if (m > 0 && 48L + 48L * m + 4 <= b.length) buf.putInt(48 + 48 * m, crc(b, 48, 48 * m));
        } else if (name.endsWith(".dhi") && b.length >= 48) {
            buf.putInt(44, crc(b, 0, 44));
        }
    }

    /** Opens, searches, reads side data and verifies; returns true if a FormatException said the index is bad. */
    private static boolean use(Path path, BinaryCodes queries) {
        try (CodeIndex index = CodeIndex.open(path); IndexSnapshot s = index.snapshot()) {
            for (SearchMethod m : SearchMethod.values()) {
                SearchOptions o = SearchOptions.defaults().withMethod(m).withThreads(1);
                s.knnBatch(queries, 5, o);
                s.radiusBatch(queries, 4, o);
                s.knnBatch(queries, 3, o.withFilter(IdFilter.of(4, 5, 6, 7, 8, 9, 450)));
            }
            for (long id = 0; id < 40; id++) {
                s.source(id);
                s.label(id);
                s.features(id);
            }
            index.verify();
            return false;
        } catch (FormatException e) {
            return true;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FormatException) return true;
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mutatedIndexFoldersFailOnlyWithFormatExceptions() throws IOException {
        Random rnd = new Random(SEED);
        Path pristine = pristine(dir.resolve("pristine"), rnd);
        List<String> names = CodeIndexTest.names(pristine).stream().filter(n -> !n.equals("LOCK")).toList();
        assertTrue(names.containsAll(List.of("MANIFEST", "seg-1.dhseg", "seg-1.dhmih", "seg-2.dhmih")), "" + names);
        assertTrue(names.stream().anyMatch(n -> n.endsWith(".dhdel")), "" + names);
        BinaryCodes queries = RandomCodes.uniform(2, 40, rnd);
        long bytes = folderBytes(pristine);
        int detected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String name = names.get(rnd.nextInt(names.size()));
            byte[] original = Files.readAllBytes(pristine.resolve(name));
            StringBuilder what = new StringBuilder();
            byte[] mutated = mutate(original, rnd, what);
            boolean repaired = rnd.nextBoolean();
            if (repaired) repairChecksums(name, mutated);
            Path copy = dir.resolve("round" + round);
            copy(pristine, copy);
            Files.write(copy.resolve(name), mutated);
            String where = "round " + round + " (seed " + SEED + "): " + name + ": " + what
                    + (repaired ? " (checksums repaired)" : "");
            long before = allocatedBytes();
            boolean bad;
            try {
                bad = use(copy, queries);
            } catch (RuntimeException | Error e) {
                throw new AssertionError(where + ": " + e, e);
            }
            long allocated = allocatedBytes() - before;
            if (allocated > 64 * bytes + (16 << 20)) {
                fail(where + ": allocated " + allocated + " bytes for an index of " + bytes);
            }
            if (!repaired && !Arrays.equals(original, mutated) && !bad) fail(where + ": the change went undetected");
            if (bad) detected++;
            deleteFolder(copy);
        }
        assertTrue(detected > ROUNDS / 4, detected + " of " + ROUNDS + " rounds detected a bad index");
    }

    @Test
    void mutatedVersion1FilesFailOnlyWithFormatExceptions() throws IOException {
        Random rnd = new Random(SEED + 1);
        BinaryCodes codes = RandomCodes.uniform(200, 72, rnd).withIds(IndexOracle.shuffledIds(200, 5, 3, rnd));
        Path v1 = dir.resolve("v1.dhi");
        float[] features = new float[400];
        new IndexFile(codes, features, 2).write(v1);
        byte[] original = Files.readAllBytes(v1);
        BinaryCodes queries = RandomCodes.uniform(2, 72, rnd);
        int detected = 0;
        for (int round = 0; round < ROUNDS / 2; round++) {
            StringBuilder what = new StringBuilder();
            byte[] mutated = mutate(original, rnd, what);
            boolean repaired = rnd.nextBoolean();
            if (repaired) repairChecksums("x.dhi", mutated);
            Path copy = dir.resolve("v1-" + round + ".dhi");
            Files.write(copy, mutated);
            String where = "v1 round " + round + ": " + what + (repaired ? " (checksums repaired)" : "");
            long before = allocatedBytes();
            boolean bad;
            try {
                bad = use(copy, queries);
            } catch (RuntimeException | Error e) {
                throw new AssertionError(where + ": " + e, e);
            }
            long allocated = allocatedBytes() - before;
            if (allocated > 64L * original.length + (32 << 20)) {
                fail(where + ": allocated " + allocated + " bytes for a file of " + original.length);
            }
            if (!repaired && !Arrays.equals(original, mutated) && !bad) fail(where + ": the change went undetected");
            if (bad) detected++;
            Files.delete(copy);
        }
        assertTrue(detected > ROUNDS / 8, detected + " of " + ROUNDS / 2 + " rounds detected a bad file");
    }
}
