package org.deephash4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The safetensors element types a checkpoint may hold, and how each becomes float32:
 * <ul>
 *   <li>{@code F32}: as stored (every deephash4j checkpoint);</li>
 *   <li>{@code F16} (IEEE half) and {@code BF16} (bfloat16, the top half of a float32): widened
 *       exactly, as {@code tensor.float()} does in PyTorch, so a torchvision state_dict saved in
 *       half precision loads;</li>
 *   <li>{@code I64}: integer tensors such as batch normalisation's {@code num_batches_tracked};
 *       their bytes are checked like any tensor's but not read, and the tensor is listed as
 *       ignored ({@link Checkpoint#ignoredTensors()}).</li>
 * </ul>
 */
public enum SafetensorsDtype {
    F32(4, true), F16(2, true), BF16(2, true), I64(8, false);

    private final int bytes;
    private final boolean floating;

    SafetensorsDtype(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the types read as float32 values; false for those only checked and ignored (I64). */
    public boolean floating() {
        return floating;
    }

    /** The type named {@code name} in a header, or null when deephash4j reads no such type. */
    public static SafetensorsDtype byName(Object name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return d;
        return null;
    }

    /** The {@code n} little-endian elements of {@code data} (from its position) as float32. */
    public float[] toFloats(ByteBuffer data, int n) {
        ByteBuffer in = data.order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(in.getShort());
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
            }
            case I64 -> throw new IllegalStateException("I64 tensors are not read as floats");
        }
        return out;
    }
}
