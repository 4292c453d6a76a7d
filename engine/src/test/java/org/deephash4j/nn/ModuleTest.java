package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** Parameter naming and order, modes, zeroGrad, seeded initialisation and layer input checks. */
class ModuleTest {
    private static final Backend CPU = Backends.cpu();

    static Sequential leNet(long seed) {
        return new Sequential(
                new Conv2d(CPU, 1, 32, 5, 1, 2, seed), new ReLU(), new MaxPool2d(2),
                new Conv2d(CPU, 32, 64, 5, 1, 2, seed + 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(CPU, 3136, 500, seed + 2), new ReLU(), new Linear(CPU, 500, 10, seed + 3));
    }

    @Test
    void namedParametersFollowPyTorchStateDictNamesAndOrder() {
        try (Sequential net = leNet(1)) {
            Map<String, Tensor> named = net.namedParameters();
            assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                    List.copyOf(named.keySet()));
            assertEquals("[32, 1, 5, 5]", named.get("0.weight").shape().toString());
            assertEquals("[500, 3136]", named.get("7.weight").shape().toString());
            List<Parameter> params = net.parameters();
            assertEquals(8, params.size());
            assertSame(named.get("9.bias"), params.get(7).tensor());
            for (Parameter p : params) assertTrue(p.tensor().requiresGrad());
        }
    }

    @Test
    void nestedModulesGetDottedNames() {
        Sequential inner = new Sequential(new Linear(CPU, 3, 2, 1));
        Module outer = new Module() {
            private final Sequential features = registerModule("features", inner);
            private final Linear head = registerModule("head", new Linear(CPU, 2, 1, false, 2));

            @Override
            public Tensor forward(Tensor x) {
                return head.forward(features.forward(x));
            }
        };
        assertEquals(List.of("features.0.weight", "features.0.bias", "head.weight"), List.copyOf(outer.namedParameters().keySet()));
        outer.eval();
        assertFalse(inner.get(0).isTraining(), "eval reaches grandchildren");
        outer.train();
        assertTrue(inner.get(0).isTraining());
        outer.close();
    }

    @Test
    void zeroGradZeroesEveryGradient() {
        try (Linear layer = new Linear(CPU, 4, 3, 3); TensorScope scope = TensorScope.open()) {
            Graph.backward(Ops.sum(layer.forward(Tensors.ones(CPU, 2, 4))));
            assertNotEquals(0f, layer.weight().grad().toArray()[0]);
            layer.zeroGrad();
            assertArrayEquals(new float[12], layer.weight().grad().toArray());
            assertArrayEquals(new float[3], layer.bias().grad().toArray());
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        try (Conv2d a = new Conv2d(CPU, 3, 8, 5, 1, 2, 9); Conv2d b = new Conv2d(CPU, 3, 8, 5, 1, 2, 9);
             Conv2d c = new Conv2d(CPU, 3, 8, 5, 1, 2, 10)) {
            assertArrayEquals(a.weight().tensor().toArray(), b.weight().tensor().toArray());
            assertArrayEquals(a.bias().tensor().toArray(), b.bias().tensor().toArray());
            assertFalse(java.util.Arrays.equals(a.weight().tensor().toArray(), c.weight().tensor().toArray()));
            float bound = (float) (1 / Math.sqrt(3 * 25));
            for (float v : a.weight().tensor().toArray()) assertTrue(Math.abs(v) <= bound, "PyTorch default bound");
        }
    }

    @Test
    void initialisersHaveTheirStatedSpread() {
        // [256, 128, 3, 3]: fanIn = 1152, fanOut = 2304; 294912 draws estimate a std within 1%
        Tensor t = Tensors.zeros(CPU, 256, 128, 3, 3);
        assertEquals(1152, Init.fanIn(t));
        assertEquals(2304, Init.fanOut(t));
        assertEquals(Math.sqrt(2.0 / 1152), std(Init.kaimingNormal(t, 1)), 0.01 * Math.sqrt(2.0 / 1152));
        assertEquals(Math.sqrt(6.0 / 1152) / Math.sqrt(3), std(Init.kaimingUniform(t, 2)), 0.01 * Math.sqrt(2.0 / 1152));
        assertEquals(Math.sqrt(2.0 / 3456), std(Init.xavierNormal(t, 3)), 0.01 * Math.sqrt(2.0 / 3456));
        assertEquals(Math.sqrt(6.0 / 3456) / Math.sqrt(3), std(Init.xavierUniform(t, 4)), 0.01 * Math.sqrt(2.0 / 3456));
        assertEquals(0.5, std(Init.normal(t, 3f, 0.5f, 5)), 0.005);
        for (float v : Init.constant(t, 0.25f).toArray()) assertEquals(0.25f, v);
        float bound = (float) Math.sqrt(6.0 / 1152);
        for (float v : Init.kaimingUniform(t, 6).toArray()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(Init.kaimingNormal(Tensors.zeros(CPU, 4, 4), 7).toArray(),
                Init.kaimingNormal(Tensors.zeros(CPU, 4, 4), 7).toArray());
        t.close();
    }

    private static double std(Tensor t) {
        float[] v = t.toArray();
        double mean = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        double s = 0;
        for (float x : v) s += (x - mean) * (x - mean);
        return Math.sqrt(s / v.length);
    }

    @Test
    void layersRejectBadInputsWithClearMessages() {
        try (Conv2d conv = new Conv2d(CPU, 1, 32, 5, 1, 2, 1); Linear fc = new Linear(CPU, 3136, 500, 2);
             TensorScope scope = TensorScope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> conv.forward(Tensors.zeros(CPU, 128, 3, 28, 28)));
            assertEquals("conv2d: input [128, 3, 28, 28] has 3 channels but weight [32, 1, 5, 5] expects 1"
                    + " (weight is [outC, inC, kH, kW])", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> fc.forward(Tensors.zeros(CPU, 8, 3000)));
            assertEquals("linear: input [8, 3000] must be [N, 3136] for weight [500, 3136] (weight is [out, in])",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensors.zeros(CPU, 4, 28, 28)));
            assertEquals("maxPool2d: input [4, 28, 28] must be [N, C, H, W]", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, 1));
            assertThrows(IllegalArgumentException.class, () -> new Linear(CPU, 0, 3, 1));
        }
    }

    @Test
    void dropoutLayerDrawsANewMaskEachCallFromItsSeed() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensors.ones(CPU, 1000);
            Dropout a = new Dropout(0.5f, 3);
            Dropout b = new Dropout(0.5f, 3);
            float[] a1 = a.forward(x).toArray();
            float[] a2 = a.forward(x).toArray();
            assertFalse(java.util.Arrays.equals(a1, a2), "a different mask each call");
            assertArrayEquals(a1, b.forward(x).toArray(), "the same seed gives the same sequence");
            assertArrayEquals(a2, b.forward(x).toArray());
            a.reset();
            assertArrayEquals(a1, a.forward(x).toArray());
            a.eval();
            assertSame(x, a.forward(x), "identity in evaluation mode");
        }
    }

    @Test
    void aGradientReleasedByAnEnclosingScopeIsDroppedAndMadeAgain() {
        try (Linear layer = new Linear(CPU, 3, 2, 4)) {
            try (TensorScope epoch = TensorScope.open()) {
                try (TensorScope step = TensorScope.open()) {
                    Graph.backward(Ops.sum(layer.forward(Tensors.ones(CPU, 1, 3))));
                }
                layer.zeroGrad();
            }
            layer.zeroGrad();      // the epoch scope released the gradients: no failure, they are dropped
            assertEquals(null, layer.weight().grad());
            try (TensorScope step = TensorScope.open()) {
                Graph.backward(Ops.sum(layer.forward(Tensors.ones(CPU, 1, 3))));
            }
            assertArrayEquals(new float[] {1, 1}, layer.bias().grad().toArray());
        }
    }

    @Test
    void closingAModuleReleasesItsParameters() {
        Sequential net = new Sequential(new Linear(CPU, 2, 2, 1), new ReLU());
        Tensor w = net.namedParameters().get("0.weight");
        net.close();
        assertTrue(w.isClosed());
    }
}
