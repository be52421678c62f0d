package dev.glimpse.cli;

import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.hub.HubSettings;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;

/**
 * What the commands take from their surroundings rather than their arguments, so tests can give their own.
 *
 * @param configuredModel  the model to use without {@code --model}: {@code $GLIMPSE_MODEL} or the default model
 * @param stderrIsTerminal whether stderr is a terminal, so progress can redraw one line instead of printing many
 * @param apiKey           {@code $GLIMPSE_API_KEY}: the key {@code serve} requires and endpoint clients send
 *                         without {@code --api-key}, or {@code null}
 * @param hub              the Hugging Face Hub settings ({@code HF_*}), or {@code null} to read them from this
 *                         process's environment when a Hub model is asked for
 */
record CliEnvironment(ModelLocation configuredModel, boolean stderrIsTerminal, String apiKey, HubSettings hub) {

    /** System property the launcher sets to {@code true} when stderr is a terminal ({@code [[ -t 2 ]]}). */
    static final String STDERR_TERMINAL_PROPERTY = "glimpse.stderr.terminal";

    CliEnvironment {
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    /** An environment without an API key. */
    CliEnvironment(ModelLocation configuredModel, boolean stderrIsTerminal) {
        this(configuredModel, stderrIsTerminal, null);
    }

    /** An environment with this process's Hub settings. */
    CliEnvironment(ModelLocation configuredModel, boolean stderrIsTerminal, String apiKey) {
        this(configuredModel, stderrIsTerminal, apiKey, null);
    }

    /**
     * The Hub settings to use.
     *
     * @throws IllegalArgumentException when {@code HF_ENDPOINT} is malformed
     */
    HubSettings hubSettings() {
        return hub != null ? hub : HubSettings.current();
    }

    /** This process's environment. */
    static CliEnvironment current() {
        return new CliEnvironment(ModelLocation.configured(), Boolean.getBoolean(STDERR_TERMINAL_PROPERTY),
                System.getenv(OpenAiCompatibleModel.API_KEY_VARIABLE));
    }
}
