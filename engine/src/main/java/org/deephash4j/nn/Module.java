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
 * <p>Buffers ({@link #registerBuffer}) are tensors a module keeps and updates itself but the
 * optimiser never touches (batch normalisation's running statistics): they are named the same
 * way ({@link #buffersByName()}: "bn1.running_mean"), are not in {@link #parametersByName()},
 * and {@link #stateByName()} lists parameters and buffers together in the order of PyTorch's
 * {@code state_dict}.
 *
 * <p>A module starts in training mode; {@link #eval()} switches it and all its children to
 * evaluation (dropout becomes the identity, batch normalisation uses its running statistics).
 * Parameters and buffers are released by {@link #close()}.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's output for input x. */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter under its own name; returns it. */
    protected final Parameter registerParameter(Parameter p) {
        if (nameUsed(p.name())) {
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
        if (nameUsed(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already used");
        }
        children.put(name, child);
        child.train(training);
        return child;
    }

    /**
     * Registers a buffer under a name (no dots): a tensor this module keeps (out of any scope) and
     * updates itself, which needs no gradient and which the optimiser does not see; returns it.
     */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer name '" + name
                    + "' must be non-empty without '.'");
        }
        if (nameUsed(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already used");
        }
        buffers.put(name, buffer.keep());
        return buffer;
    }

    private boolean nameUsed(String name) {
        return parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name);
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

    /**
     * Every buffer by dotted name ("bn1.running_mean", "layer1.0.bn2.num_batches_tracked"), this
     * module's own first, then each child's in registration order (depth first).
     */
    public final Map<String, Tensor> buffersByName() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> named) {
        buffers.forEach((name, b) -> named.put(prefix + name, b));
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectBuffers(prefix + e.getKey() + ".", named);
    }

    /**
     * Parameters and buffers by dotted name in the order of PyTorch's {@code state_dict}: for each
     * module its own parameters, then its own buffers, then each child's in registration order
     * ("bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked").
     */
    public final Map<String, Tensor> stateByName() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> named) {
        parameters.forEach((name, p) -> named.put(prefix + name, p.tensor()));
        buffers.forEach((name, b) -> named.put(prefix + name, b));
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectState(prefix + e.getKey() + ".", named);
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

    /** Releases every parameter (and its gradient) and every buffer. */
    @Override
    public void close() {
        for (Parameter p : parameters()) p.close();
        for (Tensor b : buffersByName().values()) b.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
