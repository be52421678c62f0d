package dev.glimpse.cli;

/** A command line the user must fix: the message says what is wrong and how to fix it. Exit code 2. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
