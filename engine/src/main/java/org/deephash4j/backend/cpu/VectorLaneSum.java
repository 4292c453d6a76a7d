package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes, added in lane order.
 *
 * <p>{@code reduceLanes(ADD)} on floats leaves the order of the additions to the implementation:
 * the JIT's intrinsic and the Java fallback that runs before compilation may add in different
 * orders and round differently. Training must give the same bits for the same seed whatever the
 * JIT has compiled so far, so every kernel that reduces lanes uses this instead.
 */
final class VectorLaneSum {
    private VectorLaneSum() {
    }

    static float inOrder(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0f;
        for (float lane : lanes) {
            s += lane;
        }
        return s;
    }
}
