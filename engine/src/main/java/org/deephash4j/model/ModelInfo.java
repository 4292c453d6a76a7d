package org.deephash4j.model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.Normalization;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.FormatException;
import org.deephash4j.zoo.Backbone;

/**
 * What a checkpoint's metadata says about the model it holds: the backbone, the hashing method and
 * its code length, the input normalisation, the class names, and the split seed it was trained on.
 * The one place the metadata is parsed: loading, encoding, evaluating and searching all read it here,
 * and a missing or malformed entry is a {@link FormatException} naming the file and the field.
 *
 * @param splitSeed the seed of the query / train / database split of the training run (0 when the
 *                  checkpoint does not say: files written before the seed was recorded)
 */
public record ModelInfo(Backbone backbone, String method, int bits, Normalization normalization, List<String> classNames,
                        long splitSeed) {

    public ModelInfo {
        classNames = List.copyOf(classNames);
    }

    /** Reads the metadata of {@code checkpoint}, whose file is {@code where} (named in errors). */
    public static ModelInfo of(Checkpoint checkpoint, Path where) throws FormatException {
        Map<String, String> m = checkpoint.metadata();
        if (!Checkpoint.FORMAT.equals(m.get("format"))) {
            throw new FormatException(where, "__metadata__.format", 8, "not a deephash4j checkpoint (format = "
                    + m.get("format") + ", expected " + Checkpoint.FORMAT + ")");
        }
        Backbone backbone;
        try {
            backbone = Backbone.byName(need(m, where, "model"));
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, "__metadata__.model", 8, e.getMessage());
        }
        String method;
        try {
            method = HashingMethods.canonical(need(m, where, "method"));
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, "__metadata__.method", 8, e.getMessage());
        }
        int bits = (int) number(m, where, "bits", 1, 1 << 16);
        List<String> classes = List.of(need(m, where, "classes").split("\t"));
        Normalization normalization;
        try {
            normalization = new Normalization(floats(m, where, "normalization.mean"), floats(m, where, "normalization.std"));
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, "__metadata__.normalization", 8, e.getMessage());
        }
        if (normalization.channels() != backbone.channels()) {
            throw new FormatException(where, "__metadata__.normalization.mean", 8, "holds " + normalization.channels()
                    + " channels but model " + backbone.id() + " takes " + backbone.channels());
        }
        long splitSeed = m.containsKey("split.seed") ? number(m, where, "split.seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        return new ModelInfo(backbone, method, bits, normalization, classes, splitSeed);
    }

    private static String need(Map<String, String> m, Path where, String key) throws FormatException {
        String v = m.get(key);
        if (v == null) {
            throw new FormatException(where, "__metadata__." + key, 8, "missing; not written by deephash4j? (keys: " + m.keySet() + ")");
        }
        return v;
    }

    private static long number(Map<String, String> m, Path where, String key, long min, long max)
            throws FormatException {
        String v = need(m, where, key);
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) throw new NumberFormatException("out of range");
            return n;
        } catch (NumberFormatException e) {
            throw new FormatException(where, "__metadata__." + key, 8, "'" + v + "' is not a whole number in ["
                    + min + ", " + max + "]");
        }
    }

    private static float[] floats(Map<String, String> m, Path where, String key) throws FormatException {
        String v = need(m, where, key);
        String[] parts = v.split(",");
        float[] out = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new FormatException(where, "__metadata__." + key, 8, "'" + v + "' is not a comma-separated list of numbers");
        }
        return out;
    }

    /**
     * The metadata entries that describe this model; the split seed is written with the rest of the
     * training configuration ({@code TrainConfig.toMetadata}).
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", Checkpoint.FORMAT);
        m.put("model", backbone.id());
        m.put("input", backbone.inputText());
        m.put("method", method);
        m.put("bits", Integer.toString(bits));
        m.put("normalization.mean", join(normalization.mean()));
        m.put("normalization.std", join(normalization.std()));
        m.put("classes", String.join("\t", classNames));
        return m;
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ",").append(v[i]);
        return b.toString();
    }
}
