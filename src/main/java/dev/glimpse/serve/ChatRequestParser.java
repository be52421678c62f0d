package dev.glimpse.serve;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Role;
import dev.glimpse.engine.VisionLanguageModel;

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
    private final RequestLimits limits;
    private final PixelBudget budget;
    private final VisionLanguageModel model;

    ChatRequestParser(ObjectMapper json, String servedModel, GenerationOptions defaults, ImageUrls images,
                      RequestLimits limits, PixelBudget budget, VisionLanguageModel model) {
        this.json = json;
        this.servedModel = servedModel;
        this.defaults = defaults;
        this.images = images;
        this.limits = limits;
        this.budget = budget;
        this.model = model;
    }

    /** A message whose images are read but not decoded yet. */
    private record Draft(Role role, List<Object> parts) {
    }

    /**
     * Reads and checks a request; decodes its images once they fit the limits and the {@link PixelBudget}.
     *
     * @param cancel stops the wait for the pixel budget when the client leaves
     */
    ChatRequest parse(byte[] body, CancellationToken cancel) {
        JsonNode root = tree(body);
        JsonNode model = root.get("model");
        if (model != null && !model.isNull() && !model.asText().equals(servedModel)) {
            throw ApiError.modelNotFound(abbreviate(model.asText()), servedModel);
        }
        refuseUnsupported(root);
        List<Draft> drafts = messages(root.get("messages"));
        long pixels = 0;
        int imageCount = 0;
        for (Draft d : drafts) {
            for (Object part : d.parts()) {
                if (part instanceof ImageUrls.Encoded e) {
                    imageCount++;
                    pixels += e.size().pixels();
                }
            }
        }
        if (imageCount > limits.maxImages()) {
            throw ApiError.badRequest("The request has " + imageCount + " images; this server accepts at most "
                    + limits.maxImages() + " per request (glimpse serve --max-images). Send fewer images.",
                    "messages", "too_many_images");
        }
        if (pixels > limits.maxPixels()) {
            throw new ApiError(413, "invalid_request_error", "The images of this request have " + pixels
                    + " pixels in all (width × height, summed); this server decodes at most " + limits.maxPixels()
                    + " per request (glimpse serve --max-pixels). Send fewer or smaller images.", "messages",
                    "too_many_pixels");
        }
        GenerationOptions options = options(root);
        boolean stream = bool(root, "stream", false);
        JsonNode streamOptions = root.get("stream_options");
        boolean includeUsage = streamOptions != null && streamOptions.isObject()
                && bool(streamOptions, "include_usage", false, "stream_options.include_usage");
        Runnable release = budget.acquire(pixels, cancel);
        try {
            Prompt prompt = new Prompt(decode(drafts));
            options = fitContext(prompt, options, root);
            return new ChatRequest(prompt, options, stream, includeUsage, release);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    private JsonNode tree(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiError.badRequest(constraint(e.getMessage()), null, "invalid_json");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiError.badRequest("The request body is not valid JSON: " + abbreviate(e.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
                    null, "invalid_json");
        } catch (IOException e) {
            throw ApiError.badRequest("The request body cannot be read as JSON.", null, "invalid_json");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object like {\"model\": \"" + servedModel
                    + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}", null, "invalid_json");
        }
        return root;
    }

    // our words for Jackson's limits (its messages name its own classes)
    private static String constraint(String jackson) {
        String m = jackson == null ? "" : jackson.toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "The request body nests JSON deeper than " + JsonLimits.MAX_NESTING + " levels; a chat request "
                    + "needs fewer than ten.";
        }
        if (m.contains("number")) {
            return "A number in the request body has more than " + JsonLimits.MAX_NUMBER_DIGITS + " digits.";
        }
        if (m.contains("string") || m.contains("name")) {
            return "A string in the request body is longer than the server accepts (" + JsonLimits.MAX_STRING_CHARS
                    + " characters).";
        }
        return "The request body goes beyond the server's limits for JSON documents.";
    }

    private List<Message> decode(List<Draft> drafts) {
        List<Message> out = new ArrayList<>();
        for (Draft d : drafts) {
            List<Part> parts = new ArrayList<>();
            for (Object part : d.parts()) {
                parts.add(part instanceof ImageUrls.Encoded e ? new Part.Image(images.decode(e)) : (Part) part);
            }
            out.add(new Message(d.role(), parts));
        }
        return out;
    }

    // the prompt within --max-prompt-tokens and the model's context, and room left in it for the answer
    private GenerationOptions fitContext(Prompt prompt, GenerationOptions options, JsonNode root) {
        int tokens;
        try {
            tokens = model.promptTokens(prompt, options.thinking());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), "messages");
        }
        if (tokens < 0) {
            return options;
        }
        int context = model.contextLength();
        int limit = context > 0 ? Math.min(limits.maxPromptTokens(), context - 1) : limits.maxPromptTokens();
        if (tokens > limit) {
            throw ApiError.badRequest("The prompt takes " + tokens + " tokens (text and images); this server "
                    + "accepts at most " + limit + (limit == limits.maxPromptTokens()
                    ? " (glimpse serve --max-prompt-tokens)" : " (the model's context is " + context + " tokens)")
                    + ". Shorten the text or send fewer or smaller images.", "messages", "context_length_exceeded");
        }
        if (context > 0 && tokens + options.maxNewTokens() > context) {
            String given = root.hasNonNull("max_completion_tokens") ? "max_completion_tokens"
                    : root.hasNonNull("max_tokens") ? "max_tokens" : null;
            if (given != null) {
                throw ApiError.badRequest("The prompt takes " + tokens + " tokens and " + given + " asks for "
                        + options.maxNewTokens() + " more, beyond the model's context of " + context + " tokens; "
                        + "set " + given + " to at most " + (context - tokens) + ".", given,
                        "context_length_exceeded");
            }
            return options.withMaxNewTokens(context - tokens);
        }
        return options;
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

    private List<Draft> messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiError.badRequest("'messages' is required: a non-empty array like [{\"role\": \"user\", "
                    + "\"content\": \"What is in this image?\"}]", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("'messages' must be a non-empty array of {\"role\", \"content\"} objects",
                    "messages");
        }
        List<Draft> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw ApiError.badRequest(param + " must be an object with 'role' and 'content'", param);
            }
            Role role = role(m.get("role"), param + ".role");
            out.add(new Draft(role, parts(m.get("content"), role, param + ".content")));
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
                throw ApiError.badRequest(param + " '" + abbreviate(r) + "' is not supported: use 'system', 'user' or "
                        + "'assistant'", param);
        }
    }

    // text parts as Part.Text, images as ImageUrls.Encoded
    private List<Object> parts(JsonNode content, Role role, String param) {
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
        List<Object> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String p = param + "[" + i + "]";
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            if (type.length() > 40) {
                type = abbreviate(type);
            }
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
                    parts.add(images.read(url.asText(), p + ".image_url"));
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
        String maxName = root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int context = model.contextLength();
        int most = context > 0 ? context : Integer.MAX_VALUE;
        JsonNode max = root.get(maxName);
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 1 || max.asInt() > most) {
                throw ApiError.badRequest(maxName + " must be a whole number from 1 to " + most
                        + (context > 0 ? " (the model's context length)" : "") + ", was " + abbreviate(max.toString()),
                        maxName);
            }
            o = o.withMaxNewTokens(max.asInt());
        }
        Double temperature = number(root, "temperature");
        if (temperature != null) {
            if (!(temperature >= 0 && temperature <= 2)) {
                throw ApiError.badRequest("temperature must be from 0 (greedy) to 2, was " + temperature,
                        "temperature");
            }
            // a temperature this small is greedy decoding; dividing by it would overflow the scores
            o = o.withTemperature(temperature < GenerationOptions.GREEDY_BELOW ? 0.0 : temperature);
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
                throw ApiError.badRequest("seed must be a whole number, was " + abbreviate(seed.toString()), "seed");
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
                throw ApiError.badRequest("thinking.type must be 'enabled' or 'disabled', was '" + abbreviate(type) + "'",
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
            throw ApiError.badRequest(param + " must be true or false, was " + abbreviate(n.toString()), param);
        }
        return n.asBoolean();
    }

    private static Integer integer(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiError.badRequest(field + " must be a whole number, was " + abbreviate(n.toString()), field);
        }
        return n.asInt();
    }

    private static Double number(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw ApiError.badRequest(field + " must be a number, was " + abbreviate(n.toString()), field);
        }
        return n.asDouble();
    }

    // client text echoed in a message stays short
    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "… (" + s.length() + " characters)";
    }
}
