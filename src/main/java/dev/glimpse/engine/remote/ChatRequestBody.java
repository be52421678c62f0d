package dev.glimpse.engine.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The JSON body of {@code POST /chat/completions} for a prompt: OpenAI-style messages with images as PNG data URLs,
 * and the options in the fields vLLM, SGLang and Zhipu read.
 *
 * <p>Options at their "off" value ({@code top_p} 1, {@code top_k} 0, {@code repetition_penalty} 1, no seed) are
 * left out: servers that do not know an extension ({@code top_k} and {@code repetition_penalty} are vLLM's and
 * SGLang's) or reject a boundary value (Zhipu wants {@code top_p} below 1) then still accept the request. Greedy
 * decoding is {@code temperature} 0 and, for Zhipu, {@code do_sample: false} (servers that do not know the field
 * ignore it). Thinking off is sent twice: as the chat template switch {@code chat_template_kwargs.enable_thinking}
 * (vLLM, SGLang) and as Zhipu's {@code thinking.type}.
 */
final class ChatRequestBody {

    private ChatRequestBody() {
    }

    static ObjectNode of(ObjectMapper json, String model, Prompt prompt, GenerationOptions options, boolean stream) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (Message m : prompt.messages()) {
            ObjectNode message = messages.addObject();
            message.put("role", m.role().name().toLowerCase(Locale.ROOT));
            if (m.parts().size() == 1 && m.parts().get(0) instanceof Part.Text t) {
                message.put("content", t.text());
                continue;
            }
            ArrayNode content = message.putArray("content");
            for (Part part : m.parts()) {
                if (part instanceof Part.Text t) {
                    content.addObject().put("type", "text").put("text", t.text());
                } else if (part instanceof Part.Image i) {
                    content.addObject().put("type", "image_url").putObject("image_url")
                            .put("url", pngDataUrl(i.image()));
                }
            }
        }
        body.put("max_tokens", options.maxNewTokens());
        body.put("temperature", options.temperature());
        if (options.greedy()) {
            body.put("do_sample", false);
        }
        if (options.topP() < 1) {
            body.put("top_p", options.topP());
        }
        if (options.topK() > 0) {
            body.put("top_k", options.topK());
        }
        if (options.repetitionPenalty() != 1) {
            body.put("repetition_penalty", options.repetitionPenalty());
        }
        if (options.seed() != null) {
            body.put("seed", options.seed());
        }
        if (!options.thinking()) {
            body.putObject("chat_template_kwargs").put("enable_thinking", false);
            body.putObject("thinking").put("type", "disabled");
        }
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /** The image as {@code data:image/png;base64,…}: lossless, so the server sees the pixels the caller has. */
    static String pngDataUrl(ImageInput image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image.image(), "png", png)) {
                throw new IllegalStateException("Java has no PNG writer for image " + image.source());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode image " + image.source() + " as PNG: " + e.getMessage(), e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
