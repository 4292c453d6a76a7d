package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every {@code VectorXxx} kernel uses, chosen once at class load.
 *
 * <p>{@link FloatVector#SPECIES_PREFERRED} (512 bits on AVX-512, 256 on AVX2, 128 on NEON), or
 * the width given by {@code -Ddeephash.vectorBitSize=128|256|512}, so that a forked test can
 * force narrow lanes on a wide machine. A static final species lets the JIT compile every
 * vector operation to one instruction.
 */
final class VectorWidth {
    /** The species of every vector kernel. */
    static final VectorSpecies<Float> FLOAT = choose();

    /** {0, stride, 2·stride, ..., (L - 1)·stride} for L = FLOAT's lanes: the offsets of one gather. */
    static int[] strided(int stride) {
        int[] lanes = new int[FLOAT.length()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = i * stride;
        }
        return lanes;
    }

    private VectorWidth() {
    }

    private static VectorSpecies<Float> choose() {
        String bits = System.getProperty("deephash.vectorBitSize");
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        int size;
        try {
            size = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("deephash.vectorBitSize: got '" + bits + "', expected 128, 256 or 512");
        }
        if (size != 128 && size != 256 && size != 512) {
            throw new IllegalArgumentException("deephash.vectorBitSize: got " + size + ", expected 128, 256 or 512");
        }
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() < size
                ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(size));
    }
}
