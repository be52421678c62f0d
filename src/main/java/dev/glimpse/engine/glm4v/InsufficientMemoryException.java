package dev.glimpse.engine.glm4v;

/**
 * A model was not loaded because it does not fit in the memory available ({@link MemoryPlan}); the message names
 * what it needs, what there is and the fix (bfloat16, a GPU, an endpoint).
 */
public final class InsufficientMemoryException extends IllegalStateException {

    private final transient MemoryPlan plan;

    InsufficientMemoryException(MemoryPlan plan, String message) {
        super(message);
        this.plan = plan;
    }

    /** The figures the decision was made on. */
    public MemoryPlan plan() {
        return plan;
    }
}
