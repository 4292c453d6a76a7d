package org.deephash4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.deephash4j.tensor.Tensor;

/**
 * Modules applied in order: y = m_k(... m_1(m_0(x))). The children are named "0", "1", ...,
 * so parameters are "0.weight", "0.bias", "3.weight", ... as in PyTorch.
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its index); returns this. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    /** Layer i. */
    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : layers) y = m.forward(y);
        return y;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) s.append(i == 0 ? "" : ", ").append(layers.get(i));
        return s.append(')').toString();
    }
}
