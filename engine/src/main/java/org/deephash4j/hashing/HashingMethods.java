package org.deephash4j.hashing;

import java.util.List;
import java.util.Map;
import org.deephash4j.data.Labels;

/** The five methods by name, with their default constants: the one way command lines and checkpoints create one. */
public final class HashingMethods {
    /** Canonical names, in the order of the papers; {@link #create} accepts them in any case. */
    public static final List<String> NAMES = List.of("DLBHC", "DHN", "HashNet", "DSDH", "ExpH");

    private HashingMethods() {
    }

    /** The canonical spelling of a method name (case-insensitive), or an error listing the known names. */
    public static String canonical(String name) {
        if (name == null) throw new IllegalArgumentException("hashing method: name is missing; expected one of " + NAMES);
        for (String n : NAMES) if (n.equalsIgnoreCase(name.trim())) return n;
        throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", NAMES));
    }

    /**
     * The method {@code name} with {@code bits} bits and its defaults, for training: {@code trainingLabels}
     * (the labels of the whole training set) gives the classes (DLBHC, ExpH) and DSDH's per-example state.
     */
    public static HashingMethod create(String name, int bits, Labels trainingLabels) {
        return create(name, bits, trainingLabels, Map.of());
    }

    /**
     * As {@link #create(String, int, Labels)}, with the constants in {@code settings} (what
     * {@link HashingMethod#settings()} wrote into a checkpoint, or a command line's options) in place
     * of the defaults; keys of other methods are ignored, a bad value is an error naming its key.
     * HashNet reads {@link HashNet#GAMMA_SETTING} and {@link HashNet#STEP_SIZE_SETTING}, DSDH
     * {@link Dsdh#CODE_ETA_SETTING} and {@link Dsdh#SWEEPS_SETTING}.
     */
    public static HashingMethod create(String name, int bits, Labels trainingLabels, Map<String, String> settings) {
        String canonical = canonical(name);
        if (trainingLabels == null) {
            throw new IllegalArgumentException("hashing method " + canonical + ": labels of the training set are missing;"
                    + " every method here is supervised (use forEncoding to rebuild a trained model)");
        }
        return switch (canonical) {
            case "DLBHC" -> new Dlbhc(bits, trainingLabels.classes());
            case "DHN" -> new Dhn(bits);
            case "HashNet" -> HashNet.builder(bits)
                    .gamma(setting(settings, HashNet.GAMMA_SETTING, HashNet.DEFAULT_GAMMA))
                    .stepSize(whole(HashNet.STEP_SIZE_SETTING, setting(settings, HashNet.STEP_SIZE_SETTING, HashNet.DEFAULT_STEP_SIZE)))
                    .build();
            case "DSDH" -> Dsdh.builder(bits, trainingLabels)
                    .codeEta(setting(settings, Dsdh.CODE_ETA_SETTING, Dsdh.DEFAULT_ETA))
                    .dccSweeps(whole(Dsdh.SWEEPS_SETTING, setting(settings, Dsdh.SWEEPS_SETTING, Dsdh.DEFAULT_DCC_SWEEPS)))
                    .build();
            case "ExpH" -> ExpH.create(bits, trainingLabels.classes());
            default -> throw new IllegalStateException("no constructor for " + canonical);
        };
    }

    private static double setting(Map<String, String> settings, String key, double defaultValue) {
        String text = settings.get(key);
        if (text == null) return defaultValue;
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + text + "': expected a number");
        }
    }

    private static int whole(String key, double value) {
        if (value != (int) value) throw new IllegalArgumentException(key + " = " + value + ": expected a whole number");
        return (int) value;
    }

    /** The method {@code name} for a model that is only loaded and encoded: it needs the class count, not the labels. */
    public static HashingMethod forEncoding(String name, int bits, int classes) {
        // Only the head's shapes matter: one placeholder label carries the class count.
        return create(name, bits, Labels.single(new int[] {0}, classes));
    }
}
