package org.deephash4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.tensor.Tensor;

/**
 * A layer or a network: {@link #forward} maps a tensor to a tensor with differentiable
 * {@code Ops}; parameters and child modules are registered by name in construction order, so
 * {@link #namedParameters()} lists them in a stable order with dotted names, as PyTorch's
 * {@code state_dict} does ("0.weight", "0.bias", "3.weight" for a {@link Sequential};
 * "features.0.weight" for a nested child).
 *
 * <p>A module starts in training mode; {@link #eval()} switches it and all its children to
 * evaluation (dropout becomes the identity). Parameters are released by {@link #close()}.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's output for input x. */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter under its own name; returns it. */
    protected final Parameter registerParameter(Parameter p) {
        if (parameters.containsKey(p.name()) || children.containsKey(p.name())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + p.name() + "' is already used");
        }
        parameters.put(p.name(), p);
        return p;
    }

    /** Registers a child module under a name (no dots); returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": module name '" + name
                    + "' must be non-empty without '.'");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already used");
        }
        children.put(name, child);
        child.train(training);
        return child;
    }

    /** The direct children, by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** All parameters of this module and its descendants, in the order of {@link #namedParameters()}. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(parametersByName().values());
    }

    /**
     * Every parameter tensor by dotted name, this module's own first, then each child's in
     * registration order (depth first): the keys and order a checkpoint stores.
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parametersByName().forEach((name, p) -> out.put(name, p.tensor()));
        return out;
    }

    /** The parameters themselves under the names and in the order of {@link #namedParameters()}. */
    public final Map<String, Parameter> parametersByName() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> named) {
        for (Parameter p : parameters.values()) named.put(prefix + p.name(), p);
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", named);
    }

    /** Sets every parameter's accumulated gradient to zero. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** Training mode (true) or evaluation mode (false), for this module and all descendants. */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) child.train(on);
        return this;
    }

    /** Training mode for this module and all descendants. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode for this module and all descendants. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Releases every parameter (and its gradient). */
    @Override
    public void close() {
        for (Parameter p : parameters()) p.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
