package dev.glimpse.engine;

/** Asked between generation steps whether to stop early. */
@FunctionalInterface
public interface CancellationToken {

    /** Never cancels. */
    CancellationToken NEVER = () -> false;

    /** Whether generation should stop now, keeping what it has. */
    boolean isCancelled();
}
