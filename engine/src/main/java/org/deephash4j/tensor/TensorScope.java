package org.deephash4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Releases every tensor created inside it, on this thread, when it closes, except those
 * {@link Tensor#keep() kept}. A training step runs in one scope so its intermediate device
 * buffers are freed deterministically (no finalizers):
 * <pre>{@code
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor loss = model.loss(batch);
 *     Graph.backward(loss);
 *     optimizer.step();
 *     return loss.item();
 * }
 * }</pre>
 * Scopes nest; a kept tensor moves to the enclosing scope (or to none). Tensors created
 * outside any scope (parameters, optimizer state) are released only by {@link Tensor#close()}.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final TensorScope parent;
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
    }

    /** Opens a scope on this thread; close it on the same thread. */
    public static TensorScope open() {
        Deque<TensorScope> stack = STACK.get();
        TensorScope scope = new TensorScope(stack.peek());
        stack.push(scope);
        return scope;
    }

    /** The innermost open scope of this thread, or null. */
    static TensorScope current() {
        return STACK.get().peek();
    }

    void register(Tensor t) {
        owned.add(t);
    }

    /** Moves t out of this scope into the enclosing one (or none) and returns that new owner. */
    TensorScope release(Tensor t) {
        owned.remove(t);
        if (parent != null) parent.register(t);
        return parent;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a TensorScope must be closed on the thread that opened it");
        }
        Deque<TensorScope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("TensorScopes must close innermost first");
        }
        stack.pop();
        closed = true;
        for (Tensor t : owned) t.closeFromScope();
        owned.clear();
    }
}
