package dev.glimpse.engine;

/** Why generation ended. */
public enum FinishReason {
    /** The model emitted a stop token. */
    STOP,
    /** The token limit was reached. */
    LENGTH,
    /** The caller cancelled (e.g. an interrupted notebook cell); the answer is partial. */
    CANCELLED
}
