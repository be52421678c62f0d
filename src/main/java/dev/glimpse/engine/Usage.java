package dev.glimpse.engine;

/** Token counts of one answer. */
public record Usage(int promptTokens, int completionTokens) {
    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
