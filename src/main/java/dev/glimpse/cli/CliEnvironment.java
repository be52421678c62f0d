package dev.glimpse.cli;

import dev.glimpse.engine.ModelLocation;

/**
 * What the commands take from their surroundings rather than their arguments, so tests can give their own.
 *
 * @param configuredModel  the model to use without {@code --model}: {@code $GLIMPSE_MODEL} or the default model
 * @param stderrIsTerminal whether stderr is a terminal, so progress can redraw one line instead of printing many
 */
record CliEnvironment(ModelLocation configuredModel, boolean stderrIsTerminal) {

    /** System property the launcher sets to {@code true} when stderr is a terminal ({@code [[ -t 2 ]]}). */
    static final String STDERR_TERMINAL_PROPERTY = "glimpse.stderr.terminal";

    /** This process's environment. */
    static CliEnvironment current() {
        return new CliEnvironment(ModelLocation.configured(), Boolean.getBoolean(STDERR_TERMINAL_PROPERTY));
    }
}
