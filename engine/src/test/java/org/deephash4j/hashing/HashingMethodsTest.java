package org.deephash4j.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
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

    @Test
    void hashNetTakesItsContinuationFromSettingsAndWritesItBack() {
        Labels y = TestSupport.randomLabels(1, 20, 4);
        HashNet paper = (HashNet) HashingMethods.create("HashNet", 24, y);
        assertEquals(Math.sqrt(1 + 0.005 * 200), paper.betaAt(399), 1e-6);       // stepped at 200, not yet at 400
        HashNet peer = (HashNet) HashingMethods.create("HashNet", 24, y,
                Map.of(HashNet.GAMMA_SETTING, "0.01875", HashNet.STEP_SIZE_SETTING, "50", "dsdh.eta", "55"));
        assertEquals(Math.sqrt(1 + 0.01875 * 350), peer.betaAt(399), 1e-6);      // stepped at 350
        HashNet again = (HashNet) HashingMethods.create("HashNet", 24, y, peer.settings());
        for (long t : new long[] {1, 49, 50, 399, 800}) assertEquals(peer.betaAt(t), again.betaAt(t));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HashingMethods.create("HashNet", 24, y, Map.of(HashNet.STEP_SIZE_SETTING, "50.5")));
        assertTrue(e.getMessage().contains(HashNet.STEP_SIZE_SETTING), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HashingMethods.create("HashNet", 24, y, Map.of(HashNet.GAMMA_SETTING, "x")));
    }

    @Test
    void dsdhTakesItsBStepFromSettingsAndWritesItBack() {
        Labels y = TestSupport.randomLabels(1, 20, 4);
        assertEquals(Map.of(Dsdh.CODE_ETA_SETTING, "110.0", Dsdh.SWEEPS_SETTING, "10"), HashingMethods.create("DSDH", 24, y).settings());
        HashingMethod peer = HashingMethods.create("DSDH", 24, y,
                Map.of(Dsdh.CODE_ETA_SETTING, "55", Dsdh.SWEEPS_SETTING, "3", HashNet.GAMMA_SETTING, "0.5"));
        assertEquals(Map.of(Dsdh.CODE_ETA_SETTING, "55.0", Dsdh.SWEEPS_SETTING, "3"), peer.settings());
        assertEquals(peer.settings(), HashingMethods.create("DSDH", 24, y, peer.settings()).settings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HashingMethods.create("DSDH", 24, y, Map.of(Dsdh.SWEEPS_SETTING, "2.5")));
        assertTrue(e.getMessage().contains(Dsdh.SWEEPS_SETTING), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HashingMethods.create("DSDH", 24, y, Map.of(Dsdh.SWEEPS_SETTING, "0")));
        assertThrows(IllegalArgumentException.class, () -> HashingMethods.create("DSDH", 24, y, Map.of(Dsdh.CODE_ETA_SETTING, "-1")));
    }
}
