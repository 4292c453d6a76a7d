package org.deephash4j.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

class TensorScopeTest {
    private final Backend cpu = new CpuBackend();

    @Test
    void closingAScopeReleasesWhatWasMadeInIt() {
        Tensor made;
        try (TensorScope scope = TensorScope.open()) {
            made = Tensors.zeros(cpu, 3);
            assertFalse(made.isClosed());
        }
        assertTrue(made.isClosed());
    }

    @Test
    void aKeptTensorMovesToTheEnclosingScopeAndIsReleasedThere() {
        Tensor kept;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                kept = Tensors.zeros(cpu, 3).keep();
            }
            assertFalse(kept.isClosed());
        }
        assertTrue(kept.isClosed());
    }

    @Test
    void keepingAgainInTheEnclosingScopeMovesItOutOfEveryScope() {
        Tensor kept;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                kept = Tensors.zeros(cpu, 3).keep();
            }
            kept.keep();
        }
        assertFalse(kept.isClosed());
        kept.close();
        assertTrue(kept.isClosed());
    }

    @Test
    void aTensorMadeOutsideEveryScopeIsNotReleasedByOne() {
        Tensor outside = Tensors.zeros(cpu, 2);
        try (TensorScope scope = TensorScope.open()) {
            Tensors.ones(cpu, 2);
        }
        assertFalse(outside.isClosed());
        outside.close();
    }
}
