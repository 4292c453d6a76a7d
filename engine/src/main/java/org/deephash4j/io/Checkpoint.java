package org.deephash4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.tensor.Tensor;

/**
 * A model checkpoint in the safetensors layout, so that other tools (Python {@code safetensors},
 * PyTorch, NumPy) can read the weights:
 * <pre>
 * bytes 0..7     N, the length of the JSON header, unsigned 64-bit little-endian
 * bytes 8..8+N   JSON header, UTF-8, padded with spaces to a multiple of 8 bytes:
 *                {"__metadata__": {"model": "lenet", "method": "HashNet", "bits": "48", ...},
 *                 "fc1.weight": {"dtype": "F32", "shape": [500, 3136], "data_offsets": [0, 6272000]}, ...}
 * bytes 8+N..    the tensors, float32 little-endian row-major, back to back in header order;
 *                data_offsets are [begin, end) relative to the start of this byte buffer
 * </pre>
 * Files written elsewhere may also hold F16 and BF16 tensors, which {@link #read} widens to F32,
 * and I64 tensors, which it checks and lists in {@link #ignoredTensors()} ({@link SafetensorsDtype}).
 * Metadata values are strings (the safetensors rule); deephash4j stores the model, method, bit
 * length, input normalisation and training configuration there, plus {@code "format": "deephash4j-checkpoint-1"}.
 *
 * <p>{@link #write} goes through {@link AtomicFile} (temporary file, fsync, rename), so a crash never
 * leaves half a checkpoint; a bad file raises {@link FormatException} naming the field and byte offset. {@link #read} checks the header length, the JSON, every dtype, shape
 * and offset range and the file length; {@link #loadInto} then checks that the checkpoint holds
 * exactly the tensors a model expects, with the same names and shapes.
 *
 * <p>Tensors whose name starts with {@link #STATE_PREFIX} are training state, not model weights
 * (the optimiser's moments, a method's per-example state): a resumed run reads them, and
 * {@link #loadInto} leaves them aside.
 */
public final class Checkpoint {
    /** Value of the {@code format} metadata key written by this class. */
    public static final String FORMAT = "deephash4j-checkpoint-1";
    /** Name prefix of the training-state tensors, which {@link #loadInto} does not treat as weights. */
    public static final String STATE_PREFIX = "state.";
    private static final long MAX_HEADER = 100L << 20;

    /** One named float32 tensor held on the host. */
    public record Entry(String name, int[] shape, float[] values) {
        public Entry {
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("checkpoint tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("checkpoint tensor '" + name + "': shape " + Arrays.toString(shape) + " needs " + n
                        + " values, got " + values.length);
            }
            shape = shape.clone();
        }

        /** A host copy of a tensor. */
        public static Entry of(String name, Tensor tensor) {
            return new Entry(name, tensor.shape().dims(), tensor.toArray());
        }
    }

    private final Map<String, String> metadata;
    private final Map<String, Entry> tensors;
    private final List<String> ignored = new ArrayList<>();

    public Checkpoint(Map<String, String> metadata, List<Entry> tensors) {
        this.metadata = new LinkedHashMap<>(metadata);
        this.tensors = new LinkedHashMap<>();
        for (Entry e : tensors) {
            if (e.name().equals("__metadata__") || e.name().isEmpty()) {
                throw new IllegalArgumentException("checkpoint: '" + e.name() + "' cannot be a tensor name");
            }
            if (this.tensors.put(e.name(), e) != null) {
                throw new IllegalArgumentException("checkpoint: tensor name '" + e.name() + "' appears twice");
            }
        }
    }

    public Map<String, String> metadata() {
        return Map.copyOf(metadata);
    }

    /** The metadata value for {@code key}, or an error naming the file's missing key. */
    public String require(String key) {
        String v = metadata.get(key);
        if (v == null) throw new IllegalArgumentException("checkpoint metadata has no '" + key + "' entry; keys: " + metadata.keySet());
        return v;
    }

    /** Tensors in file order. */
    public List<Entry> tensors() {
        return List.copyOf(tensors.values());
    }

    public Entry tensor(String name) {
        return tensors.get(name);
    }

    // ---------------------------------------------------------------- writing

    /** Writes the checkpoint atomically through {@link AtomicFile}. */
    public void write(Path path) throws IOException {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (!first) json.append(',');
            first = false;
            Json.string(json, m.getKey());
            json.append(':');
            Json.string(json, m.getValue());
        }
        json.append('}');
        long offset = 0;
        for (Entry e : tensors.values()) {
            long end = offset + 4L * e.values().length;
            json.append(',');
            Json.string(json, e.name());
            json.append(":{\"dtype\":\"F32\",\"shape\":").append(Arrays.toString(e.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;          // safetensors pads the header to 8-byte alignment
        byte[] headerBytes = Arrays.copyOf(header, padded);
        Arrays.fill(headerBytes, header.length, padded, (byte) ' ');

        AtomicFile.write(path, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : tensors.values()) {
                for (float v : e.values()) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    // ---------------------------------------------------------------- reading

    /** Reads and validates a checkpoint file; see the class comment for what is checked. */
    public static Checkpoint read(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such checkpoint file");
        long fileLength = Files.size(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (fileLength < 8) throw bad(path, "header length", 0, "truncated at byte " + fileLength + " of the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLength = lenBuf.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER) {
                throw bad(path, "header length", 0, "header length " + headerLength + " is out of range (2.." + MAX_HEADER
                        + "); not a safetensors file?");
            }
            if (8 + headerLength > fileLength) {
                throw bad(path, "header", 8, "truncated at byte " + fileLength + " of " + (8 + headerLength) + " while reading the JSON header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            readFully(ch, hb, 8);
            String headerText = new String(hb.array(), StandardCharsets.UTF_8);
            Object parsed;
            try {
                parsed = new Json(headerText).parseDocument();
            } catch (IllegalArgumentException e) {
                throw bad(path, "header", 8, "JSON header: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) throw bad(path, "header", 8, "JSON header is not an object");

            long dataStart = 8 + headerLength;
            long dataLength = fileLength - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            List<long[]> ranges = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            for (Map.Entry<?, ?> kv : header.entrySet()) {
                String name = (String) kv.getKey();
                if (name.equals("__metadata__")) {
                    if (!(kv.getValue() instanceof Map<?, ?> m)) throw bad(path, "__metadata__", 8, "__metadata__ is not an object");
                    for (Map.Entry<?, ?> me : m.entrySet()) {
                        if (!(me.getValue() instanceof String s)) throw bad(path, "__metadata__", 8, "__metadata__ value of '" + me.getKey() + "' is not a string");
                        metadata.put((String) me.getKey(), s);
                    }
                    continue;
                }
                if (!(kv.getValue() instanceof Map<?, ?> info)) throw bad(path, name, 8, "tensor '" + name + "': entry is not an object");
                SafetensorsDtype dtype = SafetensorsDtype.byName(info.get("dtype"));
                if (dtype == null) {
                    throw bad(path, name + ".dtype", 8, "tensor '" + name + "' has dtype " + info.get("dtype")
                            + "; deephash4j reads F32, F16 and BF16 (widened to F32) and I64 (ignored)");
                }
                int[] shape = intArray(path, name, "shape", info.get("shape"));
                long[] offsets = longArray(path, name, info.get("data_offsets"));
                long n = 1;
                for (int d : shape) n *= d;
                if (offsets[1] - offsets[0] != dtype.bytes() * n || offsets[0] > offsets[1]) {
                    throw bad(path, name + ".data_offsets", 8, "tensor '" + name + "': data_offsets " + Arrays.toString(offsets) + " span "
                            + (offsets[1] - offsets[0]) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                            + dtype.bytes() * n);
                }
                if (offsets[1] > dataLength) {
                    throw bad(path, name, dataStart + offsets[0], "truncated at byte " + fileLength + " of " + (dataStart + offsets[1]) + " while reading tensor '"
                            + name + "'");
                }
                ranges.add(offsets);
                if (!dtype.floating()) {
                    ignored.add(name);
                    continue;
                }
                if (n > Integer.MAX_VALUE / 4) throw bad(path, name, dataStart + offsets[0], "tensor '" + name + "' is too large for one Java array");
                ByteBuffer data = ByteBuffer.allocate((int) (dtype.bytes() * n)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, dataStart + offsets[0]);
                data.rewind();
                entries.add(new Entry(name, shape, dtype.toFloats(data, (int) n)));
            }
            ranges.sort((a, b) -> Long.compare(a[0], b[0]));
            long expect = 0;
            for (long[] r : ranges) {
                if (r[0] != expect) throw bad(path, "data_offsets", dataStart + expect, "tensor data has a gap or overlap at data byte " + expect);
                expect = r[1];
            }
            if (expect != dataLength) {
                throw bad(path, "data", dataStart + expect, (dataLength - expect) + " bytes after the last tensor (file length " + fileLength + ")");
            }
            Checkpoint checkpoint = new Checkpoint(metadata, entries);
            checkpoint.ignored.addAll(ignored);
            return checkpoint;
        }
    }

    /**
     * Names of the tensors {@link #read} found but did not load, in file order: integer tensors
     * ({@link SafetensorsDtype#I64}, such as {@code num_batches_tracked} in a torchvision state_dict).
     */
    public List<String> ignoredTensors() {
        return List.copyOf(ignored);
    }

    /**
     * Copies the stored values into {@code targets} (name to tensor, e.g. a model's named parameters),
     * after checking that the names are the same set and every shape matches; training-state
     * tensors ({@link #STATE_PREFIX}) are not part of that set.
     */
    public void loadInto(Map<String, Tensor> targets, String source) {
        List<String> missing = new ArrayList<>();
        for (String name : targets.keySet()) if (!tensors.containsKey(name)) missing.add(name);
        List<String> extra = new ArrayList<>();
        for (String name : tensors.keySet()) if (!targets.containsKey(name) && !name.startsWith(STATE_PREFIX)) extra.add(name);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException(source + ": checkpoint tensors do not match the model: missing " + missing
                    + ", unexpected " + extra);
        }
        for (Map.Entry<String, Tensor> t : targets.entrySet()) checkShape(t.getKey(), t.getValue(), source);
        for (Map.Entry<String, Tensor> t : targets.entrySet()) copyInto(t.getKey(), t.getValue(), source);
    }

    /** Copies the stored tensor {@code name} into {@code target} after checking that it exists and has target's shape. */
    public void copyInto(String name, Tensor target, String source) {
        Entry e = checkShape(name, target, source);
        target.backend().copyIn(target.storage(), 0, e.values(), 0, e.values().length);
    }

    private Entry checkShape(String name, Tensor target, String source) {
        Entry e = tensors.get(name);
        if (e == null) throw new IllegalArgumentException(source + ": checkpoint has no tensor '" + name + "'");
        int[] want = target.shape().dims();
        if (!Arrays.equals(want, e.shape())) {
            throw new IllegalArgumentException(source + ": tensor '" + e.name() + "' has shape " + Arrays.toString(e.shape())
                    + " but the model expects " + Arrays.toString(want));
        }
        return e;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw new IOException("unexpected end of file at byte " + pos);
            pos += r;
        }
    }

    private static int[] intArray(Path path, String name, String field, Object value) throws IOException {
        if (!(value instanceof List<?> list)) throw bad(path, name + "." + field, 8, "tensor '" + name + "': " + field + " is not an array");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw bad(path, name + "." + field, 8, "tensor '" + name + "': " + field + "[" + i + "] = " + list.get(i) + " is not a dimension");
            }
            out[i] = (int) (long) l;
        }
        return out;
    }

    private static long[] longArray(Path path, String name, Object value) throws IOException {
        if (!(value instanceof List<?> list) || list.size() != 2 || !(list.get(0) instanceof Long a) || !(list.get(1) instanceof Long b)
                || a < 0 || b < 0) {
            throw bad(path, name + ".data_offsets", 8, "tensor '" + name + "': data_offsets " + value + " is not [begin, end]");
        }
        return new long[] {a, b};
    }

    private static FormatException bad(Path path, String field, long offset, String message) {
        return new FormatException(path, field, offset, message);
    }

    /** The small JSON subset a safetensors header uses: objects, arrays, strings, integers (and true/false/null). */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        static void string(StringBuilder out, String v) {
            out.append('"');
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }

        Object parseDocument() {
            Object v = value();
            skip();
            if (i != s.length()) throw error("unexpected text after the JSON object");
            return v;
        }

        private Object value() {
            skip();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return str();
            if (c == '-' || Character.isDigit(c)) return number();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            throw error("unexpected character '" + c + "'");
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (peek() == '}') { i++; return m; }
            while (true) {
                skip();
                if (peek() != '"') throw error("expected a key");
                String key = str();
                skip();
                if (peek() != ':') throw error("expected ':'");
                i++;
                if (m.put(key, value()) != null) throw error("duplicate key '" + key + "'");
                skip();
                char c = peek();
                i++;
                if (c == '}') return m;
                if (c != ',') throw error("expected ',' or '}'");
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skip();
            if (peek() == ']') { i++; return list; }
            while (true) {
                list.add(value());
                skip();
                char c = peek();
                i++;
                if (c == ']') return list;
                if (c != ',') throw error("expected ',' or ']'");
            }
        }

        private String str() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                if (i >= s.length()) throw error("unterminated escape");
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("bad \\u escape");
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = i;
            if (peek() == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            boolean integer = true;
            while (i < s.length() && ".eE+-".indexOf(s.charAt(i)) >= 0 || i < s.length() && Character.isDigit(s.charAt(i))) {
                integer = false;
                i++;
            }
            String t = s.substring(start, i);
            try {
                return integer ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw error("bad number '" + t + "'");
            }
        }

        private char peek() {
            if (i >= s.length()) throw error("unexpected end");
            return s.charAt(i);
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at header character " + i);
        }
    }
}
