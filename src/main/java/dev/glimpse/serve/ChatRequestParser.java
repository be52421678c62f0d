package dev.glimpse.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Role;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an OpenAI chat completions request body into a {@link ChatRequest}, or refuses it with an {@link ApiError}
 * that names the field ({@code param}) and the fix.
 *
 * <p>Read: {@code model} (optional; must be the served name when given), {@code messages} (roles {@code system},
 * {@code developer}, {@code user}, {@code assistant}; content a string or an array of {@code text} and
 * {@code image_url} parts), {@code max_tokens} / {@code max_completion_tokens}, {@code temperature},
 * {@code top_p}, {@code top_k} and {@code repetition_penalty} (vLLM's extensions), {@code seed}, {@code stream},
 * {@code stream_options.include_usage}, and thinking off as {@code chat_template_kwargs.enable_thinking: false}
 * (vLLM, SGLang) or {@code thinking.type: "disabled"} (Zhipu). Fields this server cannot honour — more than one
 * choice, stop sequences, tools — are refused rather than ignored; other unknown fields are ignored, as OpenAI-
 * compatible servers do.
 */
final class ChatRequestParser {

    private final ObjectMapper json;
    private final String servedModel;
    private final GenerationOptions defaults;
    private final ImageUrls images;

    ChatRequestParser(ObjectMapper json, String servedModel, GenerationOptions defaults, ImageUrls images) {
        this.json = json;
        this.servedModel = servedModel;
        this.defaults = defaults;
        this.images = images;
    }

    ChatRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")",
                    null, "invalid_json");
        } catch (IOException e) {
            throw ApiError.badRequest("The request body cannot be read: " + e.getMessage(), null, "invalid_json");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object like {\"model\": \"" + servedModel
                    + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}", null, "invalid_json");
        }
        JsonNode model = root.get("model");
        if (model != null && !model.isNull() && !model.asText().equals(servedModel)) {
            throw ApiError.modelNotFound(model.asText(), servedModel);
        }
        refuseUnsupported(root);
        Prompt prompt = new Prompt(messages(root.get("messages")));
        GenerationOptions options = options(root);
        boolean stream = bool(root, "stream", false);
        JsonNode streamOptions = root.get("stream_options");
        boolean includeUsage = streamOptions != null && streamOptions.isObject()
                && bool(streamOptions, "include_usage", false, "stream_options.include_usage");
        return new ChatRequest(prompt, options, stream, includeUsage);
    }

    private static void refuseUnsupported(JsonNode root) {
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.asInt() == 1)) {
            throw ApiError.badRequest("Only n = 1 is supported: this server answers with one choice.", "n");
        }
        JsonNode stop = root.get("stop");
        if (stop != null && !stop.isNull() && !(stop.isArray() && stop.isEmpty())
                && !(stop.isTextual() && stop.asText().isEmpty())) {
            throw ApiError.badRequest("Stop sequences are not supported; leave out 'stop' (answers end at the "
                    + "model's stop tokens or max_tokens).", "stop");
        }
        JsonNode tools = root.get("tools");
        if (tools != null && !tools.isNull() && !(tools.isArray() && tools.isEmpty())) {
            throw ApiError.badRequest("Tools are not supported by this server; leave out 'tools'.", "tools");
        }
    }

    private List<Message> messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiError.badRequest("'messages' is required: a non-empty array like [{\"role\": \"user\", "
                    + "\"content\": \"What is in this image?\"}]", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("'messages' must be a non-empty array of {\"role\", \"content\"} objects",
                    "messages");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw ApiError.badRequest(param + " must be an object with 'role' and 'content'", param);
            }
            Role role = role(m.get("role"), param + ".role");
            out.add(new Message(role, parts(m.get("content"), role, param + ".content")));
        }
        return out;
    }

    private static Role role(JsonNode role, String param) {
        String r = role == null || role.isNull() ? "" : role.asText().toLowerCase(Locale.ROOT);
        switch (r) {
            case "system", "developer":
                return Role.SYSTEM;
            case "user":
                return Role.USER;
            case "assistant":
                return Role.ASSISTANT;
            case "":
                throw ApiError.badRequest(param + " is missing: use 'system', 'user' or 'assistant'", param);
            default:
                throw ApiError.badRequest(param + " '" + r + "' is not supported: use 'system', 'user' or "
                        + "'assistant'", param);
        }
    }

    private List<Part> parts(JsonNode content, Role role, String param) {
        if (content == null || content.isNull()) {
            if (role == Role.ASSISTANT) {
                return List.of(new Part.Text(""));
            }
            throw ApiError.badRequest(param + " is missing: give a string or an array of text and image_url parts",
                    param);
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ApiError.badRequest(param + " must be a string or an array of {\"type\": \"text\"} and "
                    + "{\"type\": \"image_url\"} parts", param);
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String p = param + "[" + i + "]";
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            switch (type) {
                case "text" -> {
                    JsonNode text = part.get("text");
                    if (text == null || !text.isTextual()) {
                        throw ApiError.badRequest(p + ".text must be a string", p + ".text");
                    }
                    parts.add(new Part.Text(text.asText()));
                }
                case "image_url" -> {
                    JsonNode image = part.get("image_url");
                    JsonNode url = image != null && image.isObject() ? image.get("url") : image;
                    if (url == null || !url.isTextual() || url.asText().isBlank()) {
                        throw ApiError.badRequest(p + ".image_url.url must be a string: a data URL like "
                                + "data:image/png;base64,…", p + ".image_url");
                    }
                    parts.add(new Part.Image(images.load(url.asText(), p + ".image_url")));
                }
                case "" -> throw ApiError.badRequest(p + ".type is missing: use 'text' or 'image_url'", p + ".type");
                default -> throw ApiError.badRequest(p + ".type '" + type + "' is not supported: use 'text' or "
                        + "'image_url'", p + ".type");
            }
        }
        if (parts.isEmpty()) {
            parts.add(new Part.Text(""));
        }
        return parts;
    }

    private GenerationOptions options(JsonNode root) {
        GenerationOptions o = defaults;
        Integer maxTokens = integer(root, "max_completion_tokens");
        String maxName = "max_completion_tokens";
        if (maxTokens == null) {
            maxTokens = integer(root, "max_tokens");
            maxName = "max_tokens";
        }
        if (maxTokens != null) {
            if (maxTokens < 1) {
                throw ApiError.badRequest(maxName + " must be at least 1, was " + maxTokens, maxName);
            }
            o = o.withMaxNewTokens(maxTokens);
        }
        Double temperature = number(root, "temperature");
        if (temperature != null) {
            if (temperature < 0) {
                throw ApiError.badRequest("temperature must be 0 (greedy) or more, was " + temperature, "temperature");
            }
            o = o.withTemperature(temperature);
        }
        Double topP = number(root, "top_p");
        if (topP != null) {
            if (!(topP > 0 && topP <= 1)) {
                throw ApiError.badRequest("top_p must be above 0 and at most 1, was " + topP, "top_p");
            }
            o = o.withTopP(topP);
        }
        Integer topK = integer(root, "top_k");
        if (topK != null) {
            if (topK < -1) {
                throw ApiError.badRequest("top_k must be -1 or 0 (off) or positive, was " + topK, "top_k");
            }
            o = o.withTopK(Math.max(0, topK));
        }
        Double penalty = number(root, "repetition_penalty");
        if (penalty != null) {
            if (!(penalty > 0)) {
                throw ApiError.badRequest("repetition_penalty must be above 0 (1 is off), was " + penalty,
                        "repetition_penalty");
            }
            o = o.withRepetitionPenalty(penalty);
        }
        JsonNode seed = root.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw ApiError.badRequest("seed must be a whole number, was " + seed, "seed");
            }
            o = o.withSeed(seed.asLong());
        }
        return o.withThinking(thinking(root, o.thinking()));
    }

    // chat_template_kwargs.enable_thinking (vLLM, SGLang) or thinking.type (Zhipu); false wins when they disagree
    private static boolean thinking(JsonNode root, boolean fallback) {
        boolean on = fallback;
        boolean given = false;
        JsonNode kwargs = root.get("chat_template_kwargs");
        if (kwargs != null && kwargs.isObject() && kwargs.has("enable_thinking")) {
            on = bool(kwargs, "enable_thinking", fallback, "chat_template_kwargs.enable_thinking");
            given = true;
        }
        JsonNode thinking = root.get("thinking");
        if (thinking != null && thinking.isObject() && thinking.has("type")) {
            String type = thinking.get("type").asText().toLowerCase(Locale.ROOT);
            if (!type.equals("enabled") && !type.equals("disabled")) {
                throw ApiError.badRequest("thinking.type must be 'enabled' or 'disabled', was '" + type + "'",
                        "thinking.type");
            }
            on = given ? on && type.equals("enabled") : type.equals("enabled");
        }
        return on;
    }

    private static boolean bool(JsonNode root, String field, boolean fallback) {
        return bool(root, field, fallback, field);
    }

    private static boolean bool(JsonNode root, String field, boolean fallback, String param) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiError.badRequest(param + " must be true or false, was " + n, param);
        }
        return n.asBoolean();
    }

    private static Integer integer(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiError.badRequest(field + " must be a whole number, was " + n, field);
        }
        return n.asInt();
    }

    private static Double number(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw ApiError.badRequest(field + " must be a number, was " + n, field);
        }
        return n.asDouble();
    }
}
