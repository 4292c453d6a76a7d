package org.deephash4j.tensor;

/**
 * How a tensor was computed, for reverse-mode differentiation: the op that made it and the
 * inputs it was applied to. {@code org.deephash4j.autograd.Op} is the one implementation; a
 * tensor only stores it, so this package does not depend on autograd.
 */
public interface GradFn {
    /** The inputs the op was applied to. */
    Tensor[] inputs();

    /** The op's name, for messages. */
    String name();
}
