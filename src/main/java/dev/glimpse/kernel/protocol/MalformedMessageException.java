package dev.glimpse.kernel.protocol;

/** An incoming message that cannot be accepted: bad framing, bad signature or bad JSON. It is dropped and logged. */
public final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
