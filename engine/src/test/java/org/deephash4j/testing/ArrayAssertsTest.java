package org.deephash4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The checker itself: what passes, what fails, and what the failure says. */
class ArrayAssertsTest {

    @Test
    void passesWithinAtolPlusRtolTimesExpected() {
        ArrayAsserts.assertClose("within", new double[] {1.0, 100.0, 0.0}, new float[] {1.0009f, 100.09f, 0.9e-3f}, 1e-3, 1e-3);
        ArrayAsserts.assertClose("specials", new double[] {Double.NaN, Double.POSITIVE_INFINITY},
                new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 0, 0);
    }

    @Test
    void failureNamesTheFirstBadIndexAndTheLargestDifference() {
        AssertionError e = assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("kernel m=2 n=3",
                new double[] {0, 1, 2, 3, 4, 5}, new float[] {0, 1.5f, 2, 3, 4, 9}, 1e-3, 1e-3, 2, 3));
        assertEquals("kernel m=2 n=3: x[0, 1] = 1.5 vs expected 1.0 (max |diff| 4.0 at [1, 2]; atol 0.001, rtol 0.001)",
                e.getMessage());
        AssertionError flat = assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("flat",
                new float[] {1, 2}, new float[] {1, 2.1f}, 0, 0.01));
        assertEquals("flat: x[1] = 2.1 vs expected 2.0 (max |diff| 0.09999990463256836 at [1]; atol 0.0, rtol 0.01)",
                flat.getMessage());
    }

    @Test
    void nanInfinityAndLengthMismatchesFail() {
        assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("nan", new double[] {1}, new float[] {Float.NaN}, 1, 1));
        assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("nan expected", new double[] {Double.NaN},
                new float[] {1}, 1, 1));
        assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("inf", new double[] {1e30},
                new float[] {Float.POSITIVE_INFINITY}, 1, 1));
        assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("length", new double[2], new float[3], 1, 1));
    }

    @Test
    void regionChecksOnlyTheRegion() {
        double[] expected = {9, 1, 2, 9};
        float[] actual = {0, 0, 1, 2, 0};
        ArrayAsserts.assertCloseRegion("region", expected, 1, actual, 2, 2, 0, 0);
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArrayAsserts.assertCloseRegion("region", expected, 1, actual, 1, 2, 0, 0));
        assertEquals("region: x[0] = 0.0 vs expected 1.0 (max |diff| 1.0 at [0]; atol 0.0, rtol 0.0)", e.getMessage());
        assertThrows(AssertionError.class, () -> ArrayAsserts.assertCloseRegion("too long", expected, 3, actual, 0, 2, 0, 0));
    }

    /** A tolerance of the form atol + |expected| with rtol = 1 (llm.c's) would pass a kernel that drops a tail; this one does not. */
    @Test
    void droppedTailIsCaught() {
        double[] expected = {0.5, 0.25, 0.125};
        float[] droppedTail = {0.5f, 0.25f, 0f};
        assertThrows(AssertionError.class, () -> ArrayAsserts.assertClose("dropped tail", expected, droppedTail, 1e-5, 1e-4));
    }
}
