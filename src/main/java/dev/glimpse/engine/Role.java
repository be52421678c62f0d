package dev.glimpse.engine;

/** Who speaks in a {@link Message}. */
public enum Role {
    SYSTEM, USER, ASSISTANT
}
