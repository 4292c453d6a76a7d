package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deephash4j.testing.TorchStyleSafetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's other dtypes: F16 and BF16 widened to F32 exactly, I64 checked and ignored. */
class SafetensorsDtypeTest {
    @TempDir
    Path dir;

    @Test
    void halfAndBfloatAreWidenedExactly() throws IOException {
        // Values each format holds exactly: halves (incl. the largest, a subnormal, -0) and bfloat16s.
        float[] halves = {1.5f, -2f, 65504f, 0x1.0p-24f, -0f, 0.333251953125f};
        float[] bfloats = {1f, -3.5f, 0x1.fep127f, 0x1.0p-126f, 96f};
        Path p = dir.resolve("mixed.safetensors");
        new TorchStyleSafetensors().f16("h", new int[] {2, 3}, halves).bf16("b", new int[] {5}, bfloats)
                .f32("f", new int[] {1}, new float[] {7.25f}).write(p);
        Checkpoint c = Checkpoint.read(p);
        assertArrayEquals(halves, c.tensor("h").values());
        assertArrayEquals(new int[] {2, 3}, c.tensor("h").shape());
        assertArrayEquals(bfloats, c.tensor("b").values());
        assertArrayEquals(new float[] {7.25f}, c.tensor("f").values());
        assertEquals(List.of(), c.ignoredTensors());
    }

    @Test
    void halfInfinityAndNanSurvive() throws IOException {
        Path p = dir.resolve("special.safetensors");
        new TorchStyleSafetensors().f16("h", new int[] {3}, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN})
                .write(p);
        float[] v = Checkpoint.read(p).tensor("h").values();
        assertEquals(Float.POSITIVE_INFINITY, v[0]);
        assertEquals(Float.NEGATIVE_INFINITY, v[1]);
        assertTrue(Float.isNaN(v[2]));
    }

    @Test
    void integerTensorsAreCheckedAndIgnored() throws IOException {
        Path p = dir.resolve("bn.safetensors");
        new TorchStyleSafetensors().f32("bn1.running_mean", new int[] {2}, new float[] {0.5f, -1f})
                .i64("bn1.num_batches_tracked", new int[] {}, new long[] {1234}).write(p);
        Checkpoint c = Checkpoint.read(p);
        assertEquals(List.of("bn1.num_batches_tracked"), c.ignoredTensors());
        assertNull(c.tensor("bn1.num_batches_tracked"));
        assertArrayEquals(new float[] {0.5f, -1f}, c.tensor("bn1.running_mean").values());
    }

    @Test
    void aHalfTensorWithTheWrongByteCountIsRefused() throws IOException {
        // 3 halves need 6 bytes; the header claims 12 (what 3 floats would need).
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        Path p = dir.resolve("bad.safetensors");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(p, b.array());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("span 12 bytes but shape [3] of F16 needs 6"), e.getMessage());
    }

    @Test
    void anIntegerTensorPastTheEndIsTruncation() throws IOException {
        String header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        Path p = dir.resolve("short.safetensors");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(p, b.array());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(p));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("'n'"), e.getMessage());
    }
}
