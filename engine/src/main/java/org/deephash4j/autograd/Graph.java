package org.deephash4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.Shape;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Reverse-mode differentiation of a recorded graph.
 *
 * <p>{@link #backward(Tensor)} orders the ops that led to the output topologically, walks them
 * in reverse, and adds each op's input gradients into the inputs: into {@link Tensor#grad()}
 * of leaves that require a gradient (parameters; gradients accumulate across calls until
 * zeroed), and into a temporary gradient of intermediate tensors, which is released as soon as
 * it has been propagated. Each op's saved state is released right after its backward, and the
 * graph is unlinked, so one graph is differentiated once.
 */
public final class Graph {
    private Graph() {
    }

    /** Differentiates a one-element output (a loss) with d(output)/d(output) = 1. */
    public static void backward(Tensor output) {
        if (output.size() != 1) {
            throw new IllegalArgumentException("backward: the output must have one element (a loss), got "
                    + output.shape() + "; pass a gradient for other outputs");
        }
        Tensor seed = Tensors.ones(output.backend(), output.shape().dims());
        backward(output, seed);
        seed.close();
    }

    /** Differentiates {@code output} given d(loss)/d(output); gradOutput stays the caller's. */
    public static void backward(Tensor output, Tensor gradOutput) {
        if (!output.shape().equals(gradOutput.shape())) {
            throw new IllegalArgumentException("backward: gradient " + gradOutput.shape()
                    + " does not match output " + output.shape());
        }
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the output does not depend on any tensor that requires a gradient"
                    + " (was it computed inside NoGrad, or were the parameters frozen?)");
        }
        if (output.gradFn() == null) {
            accumulateLeaf(output, gradOutput, false);
            return;
        }
        List<Tensor> order = topologicalOrder(output);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(output, gradOutput);
        for (int idx = order.size() - 1; idx >= 0; idx--) {
            Tensor t = order.get(idx);
            Op op = (Op) t.gradFn();      // Op is the one GradFn: only Op.apply sets it
            Tensor g = grads.remove(t);
            if (g == null) {           // no path from the output reached t's consumers with a gradient
                op.finishBackward();
                t.setGradFn(null);
                continue;
            }
            Tensor[] inputs = op.inputs();
            Tensor[] inputGrads = op.backward(g);
            if (inputGrads.length != inputs.length) {
                throw new IllegalStateException(op.name() + ".backward returned " + inputGrads.length
                        + " gradients for " + inputs.length + " inputs");
            }
            boolean gradSharedOn = false;
            for (int i = 0; i < inputs.length; i++) {
                Tensor gi = inputGrads[i];
                if (gi == null || !inputs[i].requiresGrad()) continue;
                if (!gi.shape().equals(inputs[i].shape())) {
                    throw new IllegalStateException(op.name() + ".backward: gradient " + gi.shape()
                            + " for input " + i + " of shape " + inputs[i].shape());
                }
                boolean sharesG = gi.storage() == g.storage();
                if (inputs[i].gradFn() == null) {
                    accumulateLeaf(inputs[i], gi, !sharesG);
                } else {
                    Tensor previous = grads.get(inputs[i]);
                    if (previous == null) {
                        grads.put(inputs[i], gi);
                        gradSharedOn |= sharesG;
                    } else {
                        Backend b = gi.backend();
                        b.axpy(previous.storage(), 1f, gi.storage(), gi.size());
                        if (!sharesG) gi.close();
                    }
                }
            }
            if (g != gradOutput && !gradSharedOn) g.close();
            op.finishBackward();
            t.setGradFn(null);
        }
    }

    /** leaf.grad += g; the leaf's gradient is always an owned tensor outside any scope. */
    private static void accumulateLeaf(Tensor leaf, Tensor g, boolean closeG) {
        Backend b = g.backend();
        Tensor existing = leaf.grad();
        if (existing == null) {
            Shape s = leaf.shape();
            existing = Tensors.zeros(b, s.dims()).keep();
            leaf.setGrad(existing);
        }
        b.axpy(existing.storage(), 1f, g.storage(), g.size());
        if (closeG) g.close();
    }

    /** Tensors with a gradFn reachable from output, each after all the tensors it depends on. */
    private static List<Tensor> topologicalOrder(Tensor output) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();   // {tensor, next input index}
        stack.push(new Object[] {output, 0});
        visited.put(output, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            Tensor[] inputs = t.gradFn().inputs();
            int next = (Integer) frame[1];
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in.gradFn() != null && in.requiresGrad() && !visited.containsKey(in)) {
                    visited.put(in, Boolean.TRUE);
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
