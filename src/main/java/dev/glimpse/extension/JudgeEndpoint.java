package dev.glimpse.extension;

import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;

/** The judge model named by {@code options().judge("URL [model]")}: an OpenAI-compatible endpoint. */
final class JudgeEndpoint {

    private JudgeEndpoint() {
    }

    /**
     * Connects to {@code "URL"} or {@code "URL model-name"}; without a name, the endpoint's first served model.
     *
     * @throws IllegalArgumentException when the URL is not an http(s) URL
     */
    static VisionLanguageModel connect(String spec) {
        String[] parts = spec.strip().split("\\s+", 2);
        try {
            return OpenAiCompatibleModel.connect(parts[0], parts.length > 1 ? parts[1] : null, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("options().judge(\"" + spec + "\"): " + e.getMessage(), e);
        }
    }
}
