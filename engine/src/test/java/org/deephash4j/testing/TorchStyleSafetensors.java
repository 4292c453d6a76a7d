package org.deephash4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes safetensors files as {@code safetensors.torch.save_file} does for a PyTorch state_dict
 * (F32, F16, BF16 and I64 tensors, no deephash4j metadata), for the tests of the reader's other
 * dtypes and of pretrained-weight import. F16 and BF16 values are rounded from the given floats.
 */
public final class TorchStyleSafetensors {
    private final List<String> names = new ArrayList<>();
    private final List<String> dtypes = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();

    public TorchStyleSafetensors f32(String name, int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return add(name, "F32", shape, b.array());
    }

    public TorchStyleSafetensors f16(String name, int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putShort(Float.floatToFloat16(v));
        return add(name, "F16", shape, b.array());
    }

    /** bfloat16 by truncation of the float32 bits (exact for values with 8 significant bits). */
    public TorchStyleSafetensors bf16(String name, int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        return add(name, "BF16", shape, b.array());
    }

    public TorchStyleSafetensors i64(String name, int[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return add(name, "I64", shape, b.array());
    }

    private TorchStyleSafetensors add(String name, String dtype, int[] shape, byte[] bytes) {
        names.add(name);
        dtypes.add(dtype);
        shapes.add(shape.clone());
        data.add(bytes);
        return this;
    }

    public void write(Path path) throws IOException {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            long end = offset + data.get(i).length;
            json.append(",\"").append(names.get(i)).append("\":{\"dtype\":\"").append(dtypes.get(i)).append("\",\"shape\":")
                    .append(Arrays.toString(shapes.get(i)).replace(" ", "")).append(",\"data_offsets\":[").append(offset).append(',')
                    .append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) out.put((byte) ' ');
        for (byte[] d : data) out.put(d);
        Files.write(path, out.array());
    }
}
