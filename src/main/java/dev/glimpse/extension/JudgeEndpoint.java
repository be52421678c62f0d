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
            // the key ModelSource gives this URL: GLIMPSE_API_KEY only when it is GLIMPSE_MODEL's endpoint
            ModelSource source = ModelSource.parse(parts[0], "options().judge", null, System.getenv());
            String key = source instanceof ModelSource.Endpoint endpoint ? endpoint.apiKey() : null;
            return OpenAiCompatibleModel.connectWithKey(parts[0], parts.length > 1 ? parts[1] : null, key,
                    OpenAiCompatibleModel.Options.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("options().judge(\"" + spec + "\"): " + e.getMessage(), e);
        }
    }
}
