package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.function.UnaryOperator;

/**
 * Runs one step of a network so that every temporary it creates is freed when the step returns.
 *
 * <p>DJL attaches an op's result to the manager of its first operand. Attaching the step's input to a fresh
 * sub-manager therefore catches all temporaries derived from it; the input goes back to its own manager and the
 * result is moved there, so only the result survives. Without this, a 24-block vision tower over a large image
 * would keep every block's activations until the whole pass ends.
 */
final class NativeScope {

    private NativeScope() {
    }

    /** Applies {@code step} to {@code input}; returns its result in {@code input}'s manager, temporaries freed. */
    static NDArray run(NDArray input, UnaryOperator<NDArray> step) {
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            input.tempAttach(scope);
            NDArray result = step.apply(input);
            if (result != input) {
                result.attach(owner);
            }
            return result;
        }
    }
}
