package dev.glimpse.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.Usage;

/**
 * What one chat-completion chunk (streaming) or completion (non-streaming) carries for the first choice.
 *
 * <p>Reasoning is read from {@code reasoning_content} (SGLang, Zhipu, vLLM before its rename) or {@code reasoning}
 * (vLLM since late 2025); servers in transition send both with the same text, so only one is taken.
 *
 * @param content      answer text, or {@code null}
 * @param reasoning    reasoning text, or {@code null}
 * @param finishReason why the answer ended ({@code stop}, {@code length}, …), or {@code null} while it goes on
 * @param usage        token counts when this chunk has them, else {@code null}
 */
record ChatDelta(String content, String reasoning, String finishReason, Usage usage) {

    /** The {@code choices[0].delta} of a {@code chat.completion.chunk}. */
    static ChatDelta ofChunk(JsonNode chunk) {
        return of(chunk, "delta");
    }

    /** The {@code choices[0].message} of a {@code chat.completion}. */
    static ChatDelta ofCompletion(JsonNode completion) {
        return of(completion, "message");
    }

    private static ChatDelta of(JsonNode root, String field) {
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path(field);
        String reasoning = text(message.get("reasoning_content"));
        if (reasoning == null) {
            reasoning = text(message.get("reasoning"));
        }
        return new ChatDelta(text(message.get("content")), reasoning, text(choice.get("finish_reason")),
                usage(root.get("usage")));
    }

    /**
     * The message of an error body or in-stream error event: {@code {"error": {"message": …}}} (OpenAI, vLLM,
     * SGLang, Zhipu), {@code {"error": "…"}}, {@code {"message": …}} or {@code {"detail": …}}; {@code null} when
     * {@code root} is no error.
     */
    static String errorMessage(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            if (error.isTextual()) {
                return error.asText();
            }
            JsonNode message = error.get("message");
            return message != null && !message.isNull() ? message.asText() : error.toString();
        }
        if (!root.has("choices")) {
            for (String field : new String[] {"message", "detail"}) {
                JsonNode n = root.get(field);
                if (n != null && !n.isNull()) {
                    return n.isTextual() ? n.asText() : n.toString();
                }
            }
        }
        return null;
    }

    private static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return new Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
