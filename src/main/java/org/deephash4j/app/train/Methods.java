package org.deephash4j.app.train;

import java.util.List;
import java.util.Locale;
import org.deephash4j.hashing.Dhn;
import org.deephash4j.hashing.Dlbhc;
import org.deephash4j.hashing.Dsdh;
import org.deephash4j.hashing.ExpH;
import org.deephash4j.hashing.HashNet;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.Labels;

/** The five methods by name, with the engine's default constants (METHODS.md). */
public final class Methods {
    /** Canonical names, in the order of the papers. */
    public static final List<String> NAMES = List.of("DLBHC", "DHN", "HashNet", "DSDH", "ExpH");

    private Methods() {
    }

    /** The canonical spelling of a method name (case-insensitive), or an error listing the known names. */
    public static String canonical(String name) {
        for (String n : NAMES) if (n.equalsIgnoreCase(name.trim())) return n;
        throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", NAMES));
    }

    /**
     * A new method object. {@code trainingLabels} are the labels of the whole training set
     * (DSDH keeps per-example codes); pass null to build a method for encoding only.
     */
    public static HashingMethod create(String name, int bits, int classes, Labels trainingLabels) {
        Labels labels = trainingLabels != null ? trainingLabels : Labels.single(new int[] {0}, classes);
        return switch (canonical(name)) {
            case "DLBHC" -> new Dlbhc(bits, classes);
            case "DHN" -> new Dhn(bits);
            case "HashNet" -> new HashNet(bits);
            case "DSDH" -> Dsdh.create(bits, labels);
            case "ExpH" -> ExpH.create(bits, classes);
            default -> throw new IllegalStateException(name);
        };
    }
}
