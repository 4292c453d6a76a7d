package org.deephash4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    /** Deepest nesting of the JSON header; a safetensors header needs 3 (document, tensor, shape). */
    static final int MAX_DEPTH = 64;

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
    private final Path source;      // the file read, or null for a checkpoint built in memory
    private final List<String> ignored = new ArrayList<>();

    public Checkpoint(Map<String, String> metadata, List<Entry> tensors) {
        this(metadata, tensors, null);
    }

    private Checkpoint(Map<String, String> metadata, List<Entry> tensors, Path source) {
        this.source = source;
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

    /** The file this checkpoint was read from, or null when it was built in memory. */
    public Path source() {
        return source;
    }

    /**
     * The metadata value for {@code key}; a missing key is a {@link FormatException} naming the file
     * and the field (an {@link IllegalArgumentException} for a checkpoint built in memory).
     */
    public String require(String key) throws FormatException {
        String v = metadata.get(key);
        if (v == null) throw metadataError(key, "checkpoint metadata has no '" + key + "' entry; keys: " + metadata.keySet());
        return v;
    }

    /** The metadata value for {@code key} as a whole number in [min, max]; else as {@link #require}. */
    public long requireLong(String key, long min, long max) throws FormatException {
        String v = require(key);
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw metadataError(key, "checkpoint metadata '" + key + "' = '" + v + "' is not a whole number in [" + min + ", " + max + "]");
    }

    private FormatException metadataError(String key, String message) {
        if (source == null) throw new IllegalArgumentException(message);
        return new FormatException(source, "__metadata__." + key, 8, message);
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

    /**
     * Reads and validates a checkpoint file; see the class comment for what is checked. Bounded: only a
     * regular file is opened, the header is at most {@value #MAX_HEADER} bytes of strict UTF-8 JSON nested at
     * most {@value #MAX_DEPTH} deep, and every tensor's dtype, shape (its element count may not overflow) and
     * byte range is checked, the ranges tiling the data exactly with no overlap, before any tensor is
     * allocated: the values allocated never exceed the bytes the file holds.
     */
    public static Checkpoint read(Path path) throws IOException {
        long fileLength = InputFiles.requireRegularFile(path, "checkpoint file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ch, path, fileLength);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
    }

    /** One tensor's header entry, checked, before its values are read. */
    private record Slot(String name, SafetensorsDtype dtype, int[] shape, long begin, long end) {
    }

    private static Checkpoint read(FileChannel ch, Path path, long fileLength) throws IOException {
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
        hb.flip();
        String headerText = utf8(path, hb);
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
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<?, ?> kv : header.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals("__metadata__")) {
                if (!(kv.getValue() instanceof Map<?, ?> m)) throw bad(path, "__metadata__", 8, "__metadata__ is not an object");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s)) {
                        throw bad(path, "__metadata__." + me.getKey(), 8, "__metadata__ value of '" + me.getKey() + "' is not a string");
                    }
                    metadata.put((String) me.getKey(), s);
                }
                continue;
            }
            if (name.isEmpty()) throw bad(path, "header", 8, "a tensor has an empty name");
            if (!(kv.getValue() instanceof Map<?, ?> info)) throw bad(path, name, 8, "tensor '" + name + "': entry is not an object");
            SafetensorsDtype dtype = SafetensorsDtype.byName(info.get("dtype"));
            if (dtype == null) {
                throw bad(path, name + ".dtype", 8, "tensor '" + name + "' has dtype " + info.get("dtype")
                        + "; deephash4j reads F32, F16 and BF16 (widened to F32) and I64 (ignored)");
            }
            int[] shape = intArray(path, name, "shape", info.get("shape"));
            long[] offsets = longArray(path, name, info.get("data_offsets"));
            long n = elementCount(path, name, shape);
            if (offsets[0] > offsets[1] || offsets[1] - offsets[0] != dtype.bytes() * n) {
                throw bad(path, name + ".data_offsets", 8, "tensor '" + name + "': data_offsets " + Arrays.toString(offsets) + " span "
                        + (offsets[1] - offsets[0]) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                        + dtype.bytes() * n);
            }
            if (offsets[1] > dataLength) {
                throw bad(path, name, dataStart + offsets[0], "truncated at byte " + fileLength + " of " + (dataStart + offsets[1])
                        + " while reading tensor '" + name + "'");
            }
            slots.add(new Slot(name, dtype, shape, offsets[0], offsets[1]));
        }
        // The ranges must tile the data exactly: checked before anything is allocated, so tensors that alias
        // one range cannot make a small file ask for gigabytes.
        List<Slot> byBegin = new ArrayList<>(slots);
        byBegin.sort((a, b) -> Long.compare(a.begin(), b.begin()));
        long expect = 0;
        String previous = null;
        for (Slot r : byBegin) {
            if (r.begin() != expect) {
                String what = r.begin() < expect ? "overlaps tensor '" + previous + "'" : "leaves a gap after "
                        + (previous == null ? "the header" : "tensor '" + previous + "'");
                throw bad(path, r.name() + ".data_offsets", dataStart + r.begin(), "tensor '" + r.name() + "' at data byte "
                        + r.begin() + " " + what + " (data byte " + expect + " expected)");
            }
            expect = r.end();
            previous = r.name();
        }
        if (expect != dataLength) {
            throw bad(path, "data", dataStart + expect, (dataLength - expect) + " bytes after the last tensor (file length " + fileLength + ")");
        }
        List<Entry> entries = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Slot r : slots) {
            if (!r.dtype().floating()) {
                ignored.add(r.name());
                continue;
            }
            float[] values = new float[(int) ((r.end() - r.begin()) / r.dtype().bytes())];
            readFloats(ch, chunk, dataStart + r.begin(), r.dtype(), values);
            entries.add(new Entry(r.name(), r.shape(), values));
        }
        Checkpoint checkpoint = new Checkpoint(metadata, entries, path);
        checkpoint.ignored.addAll(ignored);
        return checkpoint;
    }

    /** The product of {@code shape}, refused when it exceeds one Java array (so it cannot wrap around either). */
    private static long elementCount(Path path, String name, int[] shape) throws FormatException {
        for (int d : shape) if (d == 0) return 0;
        long limit = Integer.MAX_VALUE - 8;
        long n = 1;
        for (int d : shape) {
            if (n > limit / d) {
                throw bad(path, name + ".shape", 8, "tensor '" + name + "': shape " + Arrays.toString(shape) + " holds more than "
                        + limit + " elements (the largest Java array)");
            }
            n *= d;
        }
        return n;
    }

    /** The header bytes as strict UTF-8: a malformed byte is an error at its offset, never a replacement character. */
    private static String utf8(Path path, ByteBuffer bytes) throws FormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.remaining());
        CoderResult result = decoder.decode(bytes, out, true);
        if (result.isError()) {
            throw bad(path, "header", 8 + bytes.position(), "the JSON header is not UTF-8 (bad byte 0x"
                    + String.format("%02x", bytes.get(bytes.position()) & 0xff) + " at byte " + (8 + bytes.position()) + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
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

    private static void readFloats(FileChannel ch, ByteBuffer chunk, long position, SafetensorsDtype dtype, float[] values)
            throws IOException {
        int done = 0;
        long pos = position;
        int size = dtype.bytes();
        while (done < values.length) {
            int take = Math.min(values.length - done, chunk.capacity() / size);
            chunk.clear().limit(size * take);
            readFully(ch, chunk, pos);
            chunk.flip();
            System.arraycopy(dtype.toFloats(chunk, take), 0, values, done, take);   // F16 and BF16 widened
            done += take;
            pos += (long) size * take;
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

    /**
     * The small JSON subset a safetensors header uses: objects, arrays, strings, integers (and true/false/null).
     * Recursive descent, nested at most {@link #MAX_DEPTH} deep, so a hostile header cannot overflow the stack.
     */
    private static final class Json {
        private final String s;
        private int i;
        private int depth;

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

        private void enter() {
            if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        }

        private Map<String, Object> object() {
            enter();
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (peek() == '}') { i++; depth--; return m; }
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
                if (c == '}') { depth--; return m; }
                if (c != ',') throw error("expected ',' or '}'");
            }
        }

        private List<Object> array() {
            enter();
            List<Object> list = new ArrayList<>();
            i++;
            skip();
            if (peek() == ']') { i++; depth--; return list; }
            while (true) {
                list.add(value());
                skip();
                char c = peek();
                i++;
                if (c == ']') { depth--; return list; }
                if (c != ',') throw error("expected ',' or ']'");
            }
        }

        private String str() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return wellFormed(b.toString());
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
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            int digit = i + k < s.length() ? Character.digit(s.charAt(i + k), 16) : -1;
                            if (digit < 0) throw error("bad \\u escape");
                            code = code * 16 + digit;
                        }
                        b.append((char) code);
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        // A \\u escape can name half a surrogate pair; such a string is not Unicode text.
        private String wellFormed(String v) {
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (Character.isHighSurrogate(c) && k + 1 < v.length() && Character.isLowSurrogate(v.charAt(k + 1))) {
                    k++;
                } else if (Character.isSurrogate(c)) {
                    throw error("string holds an unpaired surrogate \\u" + String.format("%04x", (int) c) + " (not Unicode text)");
                }
            }
            return v;
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
