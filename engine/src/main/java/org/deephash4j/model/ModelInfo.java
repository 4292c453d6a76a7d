package org.deephash4j.model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.InputProfile;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.FormatException;
import org.deephash4j.zoo.Backbone;

/**
 * What a checkpoint's metadata says about the model it holds: the backbone, the hashing method and
 * its code length, the input normalisation, the class names, the split seed it was trained on, the
 * input size ({@code input}, {@code 3x64x64}; fixed for lenet and cifarnet, chosen for resnet18 and
 * alexnet), the shorter side images are resized to before the centre crop ({@code input.resize}) and
 * what the training images looked like ({@link InputProfile}: {@code input.polarity}, ...).
 * The one place the metadata is parsed: loading, encoding, evaluating and searching all read it here,
 * and a missing or malformed entry is a {@link FormatException} naming the file and the field.
 *
 * @param splitSeed the seed of the query / train / database split of the training run (0 when the
 *                  checkpoint does not say: files written before the seed was recorded)
 * @param input     the model's input C x H x W
 * @param resize    {@link Preprocessing#resize()}: 0 when images are scaled just enough to cover the input
 * @param profile   the training images' profile, or null when the checkpoint has none (written by
 *                  {@code HashingModel.save} outside the trainer, or before profiles were recorded)
 */
public record ModelInfo(Backbone backbone, String method, int bits, Normalization normalization, List<String> classNames,
                        long splitSeed, InputShape input, int resize, InputProfile profile) {

    public ModelInfo {
        classNames = List.copyOf(classNames);
    }

    /** A model at its backbone's default input, without margin or profile. */
    public ModelInfo(Backbone backbone, String method, int bits, Normalization normalization, List<String> classNames,
                     long splitSeed) {
        this(backbone, method, bits, normalization, classNames, splitSeed, backbone.defaultInput(), 0, null);
    }

    /** What every input image goes through. */
    public Preprocessing preprocessing() {
        return new Preprocessing(input, resize, normalization);
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
        InputShape input;
        try {
            input = m.containsKey("input") || backbone.torchvision() ? InputShape.parse(need(m, where, "input"), "input")
                    : backbone.defaultInput();
            backbone.checkInput(input);
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, "__metadata__.input", 8, e.getMessage());
        }
        if (normalization.channels() != input.channels()) {
            throw new FormatException(where, "__metadata__.normalization.mean", 8, "holds " + normalization.channels()
                    + " channels but model " + backbone.id() + " takes " + input.channels());
        }
        int resize = m.containsKey("input.resize") ? (int) number(m, where, "input.resize", 0, 1 << 16) : 0;
        try {
            new Preprocessing(input, resize, normalization);
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, "__metadata__.input.resize", 8, e.getMessage());
        }
        long splitSeed = m.containsKey("split.seed") ? number(m, where, "split.seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        InputProfile profile = m.containsKey("input.polarity") ? profile(m, where, input.channels()) : null;
        return new ModelInfo(backbone, method, bits, normalization, classes, splitSeed, input, resize, profile);
    }

    private static InputProfile profile(Map<String, String> m, Path where, int channels) throws FormatException {
        InputProfile.Polarity polarity;
        try {
            polarity = InputProfile.Polarity.of(need(m, where, "input.polarity"));
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, "__metadata__.input.polarity", 8, e.getMessage());
        }
        float[] share = floats(m, where, "input.dark_ground_share");
        String grey = need(m, where, "input.grey");
        if (!grey.equals("true") && !grey.equals("false")) {
            throw new FormatException(where, "__metadata__.input.grey", 8, "'" + grey + "' is not true or false");
        }
        float[] mean = floats(m, where, "input.channel_mean");
        float[] std = floats(m, where, "input.channel_std");
        float[] range = floats(m, where, "input.brightness_range");
        if (share.length != 1 || range.length != 2 || mean.length != std.length || mean.length < 1) {
            throw new FormatException(where, "__metadata__.input.channel_mean", 8, "the input profile's fields have the wrong"
                    + " number of values (one share, two brightness bounds, one mean and deviation per channel)");
        }
        return new InputProfile(polarity, share[0], Boolean.parseBoolean(grey), mean, std, range[0], range[1]);
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
        m.put("input", input.text());
        if (resize != 0) m.put("input.resize", Integer.toString(resize));
        if (profile != null) m.putAll(profile.toMetadata());
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
