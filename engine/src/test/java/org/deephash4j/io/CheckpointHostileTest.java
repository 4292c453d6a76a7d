package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deephash4j.testing.HostileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints made to hurt the reader: each is one FormatException naming the field, in bounded memory. */
class CheckpointHostileTest {
    @TempDir
    Path dir;

    /** A safetensors file: 8-byte length, {@code header} (raw bytes, space-padded to 8) and {@code dataBytes} zero bytes. */
    private Path file(String name, byte[] header, long dataBytes) throws IOException {
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(header);
        while (b.hasRemaining()) b.put((byte) ' ');
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        if (dataBytes > 0) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {0}), 8 + padded + dataBytes - 1);   // sparse zeros
            }
        }
        return p;
    }

    private Path file(String name, String header, long dataBytes) throws IOException {
        return file(name, header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private static FormatException rejected(Path p) {
        HostileFiles.Cost cost = HostileFiles.measure(() -> Checkpoint.read(p));
        FormatException e = assertInstanceOf(FormatException.class, cost.thrown(), String.valueOf(cost.thrown()));
        assertEquals(p, e.path());
        assertTrue(e.getMessage().startsWith(p.getFileName() + ": field '" + e.field() + "'"), e.getMessage());
        // the header is read once, parsed into small objects; nothing proportional to what the header claims
        long size;
        try {
            size = Files.size(p);
        } catch (IOException io) {
            throw new AssertionError(io);
        }
        HostileFiles.assertAllocatedAtMost(16 * Math.min(size, 1 << 24) + (8 << 20), cost, p.getFileName().toString());
        return e;
    }

    @Test
    void headerNested100000DeepIsAnErrorNotAStackOverflow() throws IOException {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        FormatException e = rejected(file("deep.safetensors", deep, 0));
        assertEquals("header", e.field());
        assertTrue(e.getMessage().contains("nested deeper than " + Checkpoint.MAX_DEPTH + " levels"), e.getMessage());
        String deepObjects = "{\"a\":" + "{\"b\":".repeat(100_000) + "1" + "}".repeat(100_001);
        assertTrue(rejected(file("deep2.safetensors", deepObjects, 0)).getMessage().contains("nested deeper"));
    }

    @Test
    void aliasingRangesAreRefusedBeforeAnyTensorIsAllocated() throws IOException {
        // 4 MB of data claimed by 500 tensors that all point at it: 2 GB if each were allocated first
        int floats = 1 << 20;
        StringBuilder h = new StringBuilder("{");
        for (int t = 0; t < 500; t++) {
            if (t > 0) h.append(',');
            h.append("\"t").append(t).append("\":{\"dtype\":\"F32\",\"shape\":[").append(floats)
                    .append("],\"data_offsets\":[0,").append(4 * floats).append("]}");
        }
        h.append('}');
        FormatException e = rejected(file("alias.safetensors", h.toString(), 4L * floats));
        assertTrue(e.field().endsWith(".data_offsets"), e.field());
        assertTrue(e.getMessage().contains("overlaps tensor"), e.getMessage());
    }

    @Test
    void elementCountThatOverflowsIsRefused() throws IOException {
        // 65536^4 = 2^64 elements: the product wraps to 0 in a long, which matched data_offsets [0, 0]
        FormatException e = rejected(file("overflow.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,0]}}", 0));
        assertEquals("w.shape", e.field());
        assertTrue(e.getMessage().contains("holds more than"), e.getMessage());
        // a shape larger than the file, without wrapping, is refused the same way before allocation
        assertEquals("w.shape", rejected(file("big.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,4],\"data_offsets\":[0,34359738352]}}", 16)).field());
    }

    @Test
    void nonUtf8MetadataIsRefusedAtItsByte() throws IOException {
        byte[] header = "{\"__metadata__\":{\"model\":\"le\u00ffnet\"}}".getBytes(StandardCharsets.ISO_8859_1);
        int bad = new String(header, StandardCharsets.ISO_8859_1).indexOf('\u00ff');
        FormatException e = rejected(file("latin1.safetensors", header, 0));
        assertEquals("header", e.field());
        assertEquals(8 + bad, e.offset());
        assertTrue(e.getMessage().contains("not UTF-8 (bad byte 0xff"), e.getMessage());
        // an escaped half of a surrogate pair is not text either
        FormatException s = rejected(file("surrogate.safetensors", "{\"__metadata__\":{\"model\":\"\\ud800x\"}}", 0));
        assertTrue(s.getMessage().contains("unpaired surrogate"), s.getMessage());
        // while a proper pair (an emoji) is kept
        Path ok = file("emoji.safetensors", "{\"__metadata__\":{\"note\":\"\\ud83d\\ude00 \u00e9\"}}", 0);
        assertEquals("\ud83d\ude00 \u00e9", Checkpoint.read(ok).metadata().get("note"));
    }

    @Test
    void aFifoOrAFolderIsRefusedWithoutBlocking() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("model.safetensors"));
        FormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FormatException.class, () -> Checkpoint.read(fifo)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(assertThrows(FormatException.class, () -> Checkpoint.read(dir)).getMessage().contains("is a folder"));
        FormatException index = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FormatException.class, () -> IndexFile.read(fifo)));
        assertEquals("file", index.field());
    }

    @Test
    void requireNamesTheFileAndTheField() throws IOException {
        Path p = dir.resolve("m.safetensors");
        new Checkpoint(Map.of("train.epochs_done", "abc"), List.of()).write(p);
        Checkpoint c = Checkpoint.read(p);
        assertEquals(p, c.source());
        FormatException missing = assertThrows(FormatException.class, () -> c.require("bits"));
        assertEquals("__metadata__.bits", missing.field());
        FormatException notNumber = assertThrows(FormatException.class, () -> c.requireLong("train.epochs_done", 0, 10));
        assertTrue(notNumber.getMessage().startsWith("m.safetensors: field '__metadata__.train.epochs_done'"), notNumber.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(Map.of(), List.of()).require("bits"));
    }
}
