package dev.glimpse.kernel.magic;

/**
 * A magic could not do what was asked, for a reason the user can fix. The message says what and how; the kernel
 * shows it without a stack trace.
 */
public class MagicException extends RuntimeException {
    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
