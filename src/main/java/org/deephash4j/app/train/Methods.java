package org.deephash4j.app.train;

import java.util.List;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.hashing.Labels;

/** The five methods by name (canonical spelling, one error line for an unknown name); built by {@link HashingMethods}. */
public final class Methods {
    /** Canonical names, in the order of the papers. */
    public static final List<String> NAMES = HashingMethods.NAMES;

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
        // Encoding needs only the head's shapes: one placeholder label carries the class count.
        Labels labels = trainingLabels != null ? trainingLabels : Labels.single(new int[] {0}, classes);
        return HashingMethods.create(canonical(name), bits, labels);
    }
}
