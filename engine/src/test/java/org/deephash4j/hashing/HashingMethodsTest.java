package org.deephash4j.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.Labels;
import org.junit.jupiter.api.Test;

class HashingMethodsTest {

    @Test
    void createsEachMethodByName() {
        Labels y = TestSupport.randomLabels(1, 20, 4);
        for (String name : HashingMethods.NAMES) {
            HashingMethod m = HashingMethods.create(name.toLowerCase(), 24, y);
            assertEquals(name, m.name());
            assertEquals(24, m.bits());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashingMethods.create("dpsh", 12, y));
        assertTrue(e.getMessage().contains("DSDH"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HashingMethods.create("dhn", 12, null));
        assertThrows(IllegalArgumentException.class, () -> HashingMethods.create("dhn", 0, y));
    }
}
