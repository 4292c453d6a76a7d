package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;
import org.deephash4j.tensor.Shape;
import org.deephash4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint sample() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("method", "HashNet");
        meta.put("bits", "48");
        meta.put("config", "{\"epochs\": 20, \"note\": \"quote \\\" and\\nnewline\"}");
        return new Checkpoint(meta, List.of(
                new Checkpoint.Entry("conv1.weight", new int[] {2, 1, 1, 3}, new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, -0f}),
                new Checkpoint.Entry("conv1.bias", new int[] {2}, new float[] {0.25f, -7}),
                new Checkpoint.Entry("scalar", new int[] {}, new float[] {42})));
    }

    @Test
    void roundTripKeepsEveryBitNameShapeAndMetadata() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Checkpoint c = sample();
        c.write(p);
        Checkpoint r = Checkpoint.read(p);
        assertEquals(c.metadata(), r.metadata());
        assertEquals(List.of("conv1.weight", "conv1.bias", "scalar"), r.tensors().stream().map(Checkpoint.Entry::name).toList());
        for (Checkpoint.Entry e : c.tensors()) {
            Checkpoint.Entry g = r.tensor(e.name());
            assertArrayEquals(e.shape(), g.shape(), e.name());
            for (int i = 0; i < e.values().length; i++) {
                assertEquals(Float.floatToRawIntBits(e.values()[i]), Float.floatToRawIntBits(g.values()[i]), e.name() + "[" + i + "]");
            }
        }
        assertEquals("HashNet", r.require("method"));
    }

    /** The bytes on disk are what the safetensors specification says, checked field by field. */
    @Test
    void layoutIsSafetensors() throws IOException {
        Path p = dir.resolve("m.safetensors");
        new Checkpoint(Map.of("k", "v"), List.of(new Checkpoint.Entry("w", new int[] {1, 2}, new float[] {1.5f, -2f}))).write(p);
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}", header.strip());
        assertEquals(8 + n + 8, bytes.length);
        assertEquals(1.5f, b.getFloat((int) (8 + n)));
        assertEquals(-2f, b.getFloat((int) (8 + n + 4)));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void truncatedFileNamesTheTensor() throws IOException {
        Path p = dir.resolve("t.safetensors");
        sample().write(p);
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 3));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("truncated at byte " + (bytes.length - 3)) && e.getMessage().contains("'scalar'"),
                e.getMessage());
        FormatException f = assertInstanceOf(FormatException.class, e);
        assertEquals("scalar", f.field());
        Files.write(p, Arrays.copyOf(bytes, 5));
        e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("truncated at byte 5"), e.getMessage());
    }

    private static byte[] handMade(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    @Test
    void otherDtypesBadJsonAndGapsAreRejected() throws IOException {
        Path p = dir.resolve("x.safetensors");
        Files.write(p, handMade("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("tensor 'w' has dtype F64"), e.getMessage());

        Files.write(p, handMade("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
        e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("span 8 bytes but shape [3] of F32 needs 12"), e.getMessage());

        Files.write(p, handMade("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("tensor 'w' at data byte 4 leaves a gap after the header (data byte 0 expected)"), e.getMessage());

        Files.write(p, handMade("{\"w\":{\"dtype\":", 0));
        e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("JSON header"), e.getMessage());

        Files.write(p, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6});
        e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    // A host-memory Backend made with a proxy: only allocate / copyIn / copyOut are needed here.
    private static final class HostStorage implements Storage {
        final float[] data;
        final Backend backend;

        HostStorage(Backend backend, long n) {
            this.backend = backend;
            this.data = new float[(int) n];
        }

        @Override public Backend backend() { return backend; }
        @Override public long size() { return data.length; }
        @Override public boolean isClosed() { return false; }
        @Override public void close() { }
    }

    private static Backend hostBackend() {
        Backend[] self = new Backend[1];
        self[0] = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, m, a) ->
                switch (m.getName()) {
                    case "allocate" -> new HostStorage(self[0], (Long) a[0]);
                    case "copyIn" -> {
                        System.arraycopy((float[]) a[2], (Integer) a[3], ((HostStorage) a[0]).data, (int) (long) (Long) a[1], (Integer) a[4]);
                        yield null;
                    }
                    case "copyOut" -> {
                        System.arraycopy(((HostStorage) a[2]).data, (int) (long) (Long) a[3], (float[]) a[0], (Integer) a[1], (Integer) a[4]);
                        yield null;
                    }
                    case "name" -> "host-test";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return self[0];
    }

    @Test
    void loadIntoChecksNamesAndShapesThenCopies() throws IOException {
        Path p = dir.resolve("l.safetensors");
        sample().write(p);
        Checkpoint c = Checkpoint.read(p);
        Backend b = hostBackend();
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("conv1.weight", new Tensor(b.allocate(6), Shape.of(2, 1, 1, 3)));
        model.put("conv1.bias", new Tensor(b.allocate(2), Shape.of(2)));
        model.put("scalar", new Tensor(b.allocate(1), Shape.of()));
        c.loadInto(model, "l.safetensors");
        assertArrayEquals(new float[] {0.25f, -7}, model.get("conv1.bias").toArray());

        model.put("conv1.bias", new Tensor(b.allocate(3), Shape.of(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.loadInto(model, "l.safetensors"));
        assertTrue(e.getMessage().contains("tensor 'conv1.bias' has shape [2] but the model expects [3]"), e.getMessage());

        model.remove("scalar");
        model.put("fc.weight", new Tensor(b.allocate(1), Shape.of(1)));
        e = assertThrows(IllegalArgumentException.class, () -> c.loadInto(model, "l.safetensors"));
        assertTrue(e.getMessage().contains("missing [fc.weight], unexpected [scalar]"), e.getMessage());
    }
}
