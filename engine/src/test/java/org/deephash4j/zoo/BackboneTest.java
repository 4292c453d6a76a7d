package org.deephash4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.nn.Module;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

class BackboneTest {
    private static final Backend CPU = Backends.cpu();

    private static int[] featureShape(Backbone b) {
        try (Module net = b.build(CPU, 1); TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            Tensor x = Tensors.randn(CPU, 2, 0f, 1f, 3, b.channels(), b.height(), b.width());
            return net.forward(x).shape().dims();
        }
    }

    @Test
    void networksGiveFeatureVectorsOfTheStatedWidth() {
        assertArrayEquals(new int[] {3, 500}, featureShape(Backbone.LENET));
        assertArrayEquals(new int[] {3, 500}, featureShape(Backbone.CIFARNET));
    }

    @Test
    void lenetHasTheProtocolLayers() {
        try (Module net = Backbone.LENET.build(CPU, 1)) {
            var p = net.namedParameters();
            assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"), List.copyOf(p.keySet()));
            assertArrayEquals(new int[] {32, 1, 5, 5}, p.get("0.weight").shape().dims());
            assertArrayEquals(new int[] {64, 32, 5, 5}, p.get("3.weight").shape().dims());
            assertArrayEquals(new int[] {500, 3136}, p.get("7.weight").shape().dims());
        }
    }

    @Test
    void namesAndInputSizes() {
        assertEquals(Backbone.CIFARNET, Backbone.byName("CifarNet"));
        assertEquals(Backbone.LENET, Backbone.forInput(1, 28, 28));
        assertThrows(IllegalArgumentException.class, () -> Backbone.forInput(3, 64, 64));
        assertThrows(IllegalArgumentException.class, () -> Backbone.byName("resnet"));
        assertEquals(Backbone.RESNET18, Backbone.byName("ResNet18"));
    }
}
