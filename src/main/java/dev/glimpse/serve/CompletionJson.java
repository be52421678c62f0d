package dev.glimpse.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Usage;

/**
 * The response objects of one chat completion, in the shapes the OpenAI SDKs read: a {@code chat.completion}, or
 * {@code chat.completion.chunk}s that share its id, creation time and model.
 *
 * <p>Reasoning goes out under both names clients look for: {@code reasoning_content} (SGLang, Zhipu, older vLLM)
 * and {@code reasoning} (vLLM since late 2025).
 */
final class CompletionJson {

    private final ObjectMapper json;
    private final String id;
    private final long created;
    private final String model;

    CompletionJson(ObjectMapper json, String id, long created, String model) {
        this.json = json;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** The whole answer. */
    ObjectNode completion(Answer answer) {
        ObjectNode root = header("chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer.text());
        String reasoning = answer.reasoning().isEmpty() ? null : answer.reasoning();
        message.put("reasoning_content", reasoning);
        message.put("reasoning", reasoning);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(answer.finishReason()));
        usage(root.putObject("usage"), answer.usage());
        return root;
    }

    /** The first chunk: the assistant's role and empty content. */
    ObjectNode roleChunk(boolean includeUsage) {
        ObjectNode delta = json.createObjectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return chunk(delta, null, includeUsage);
    }

    /** A piece of the answer's text, as content or reasoning. */
    ObjectNode textChunk(String text, boolean reasoning, boolean includeUsage) {
        ObjectNode delta = json.createObjectNode();
        if (reasoning) {
            delta.put("reasoning_content", text);
            delta.put("reasoning", text);
        } else {
            delta.put("content", text);
        }
        return chunk(delta, null, includeUsage);
    }

    /** The chunk that ends the choice, with an empty delta and the finish reason. */
    ObjectNode finishChunk(FinishReason reason, boolean includeUsage) {
        return chunk(json.createObjectNode(), finishReason(reason), includeUsage);
    }

    /** The extra last chunk of {@code stream_options.include_usage}: no choices, the token counts. */
    ObjectNode usageChunk(Usage usage) {
        ObjectNode root = header("chat.completion.chunk");
        root.putArray("choices");
        usage(root.putObject("usage"), usage);
        return root;
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason, boolean includeUsage) {
        ObjectNode root = header("chat.completion.chunk");
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) {
            root.putNull("usage");
        }
        return root;
    }

    private ObjectNode header(String object) {
        ObjectNode root = json.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static void usage(ObjectNode node, Usage usage) {
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
    }

    /** OpenAI's names; an answer cut short by the server (shutting down, client gone) is vLLM's {@code abort}. */
    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case CANCELLED -> "abort";
        };
    }
}
