package org.deephash4j.hashing;

import java.util.List;
import java.util.Locale;

/** Creates a method by name with its default constants, for command lines and checkpoints. */
public final class HashingMethods {
    /** The names {@link #create} accepts (case-insensitive). */
    public static final List<String> NAMES = List.of("DLBHC", "DHN", "HashNet", "DSDH", "ExpH");

    private HashingMethods() {
    }

    /**
     * The method {@code name} with {@code bits} bits and its defaults; {@code trainingLabels} (the
     * labels of the whole training set) gives the classes (DLBHC, ExpH) and DSDH's per-example state.
     */
    public static HashingMethod create(String name, int bits, Labels trainingLabels) {
        if (name == null) throw new IllegalArgumentException("hashing method: name is missing; expected one of " + NAMES);
        if (trainingLabels == null) {
            throw new IllegalArgumentException("hashing method " + name + ": labels of the training set are missing;"
                    + " every method here is supervised");
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "dlbhc" -> new Dlbhc(bits, trainingLabels.classes());
            case "dhn" -> new Dhn(bits);
            case "hashnet" -> new HashNet(bits);
            case "dsdh" -> Dsdh.create(bits, trainingLabels);
            case "exph" -> ExpH.create(bits, trainingLabels.classes());
            default -> throw new IllegalArgumentException("hashing method '" + name + "' is unknown; expected one of " + NAMES);
        };
    }
}
