package org.deephash4j.hashing;

import java.util.List;
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
        String canonical = canonical(name);
        if (trainingLabels == null) {
            throw new IllegalArgumentException("hashing method " + canonical + ": labels of the training set are missing;"
                    + " every method here is supervised (use forEncoding to rebuild a trained model)");
        }
        return switch (canonical) {
            case "DLBHC" -> new Dlbhc(bits, trainingLabels.classes());
            case "DHN" -> new Dhn(bits);
            case "HashNet" -> new HashNet(bits);
            case "DSDH" -> Dsdh.create(bits, trainingLabels);
            case "ExpH" -> ExpH.create(bits, trainingLabels.classes());
            default -> throw new IllegalStateException("no constructor for " + canonical);
        };
    }

    /** The method {@code name} for a model that is only loaded and encoded: it needs the class count, not the labels. */
    public static HashingMethod forEncoding(String name, int bits, int classes) {
        // Only the head's shapes matter: one placeholder label carries the class count.
        return create(name, bits, Labels.single(new int[] {0}, classes));
    }
}
