package dev.glimpse.engine;

/**
 * A model that cannot answer yet or any more: still loading, failed to load, or unloaded. Servers answer it with
 * "try again later" (HTTP 503) rather than as a failure of the request; the message says what to do.
 */
public class ModelNotReadyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ModelNotReadyException(String message) {
        super(message);
    }

    public ModelNotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}
