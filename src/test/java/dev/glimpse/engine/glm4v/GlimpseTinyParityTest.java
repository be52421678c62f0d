package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped default model answers in Java exactly as in transformers: for the items of
 * {@code models/glimpse-tiny/eval/parity.json} (recorded by {@code models/eval_glimpse_tiny.py make-eval-set}:
 * every question type, thinking on and off, square and non-square images) the templated prompt ids and every
 * greedy token, stop token included, are identical.
 */
class GlimpseTinyParityTest {

    private static final Path MODEL = Path.of("models", "glimpse-tiny");
    private static final Path EVAL = MODEL.resolve("eval");

    private static Glm4vModel model;
    private static JsonNode parity;

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isRegularFile(EVAL.resolve("parity.json")),
                "the default model and its parity file are committed under " + EVAL.toAbsolutePath());
        parity = new ObjectMapper().readTree(EVAL.resolve("parity.json").toFile());
        model = Glm4vModel.load(MODEL);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void greedyAnswersMatchTransformersTokenForToken() {
        JsonNode items = parity.get("items");
        assertTrue(items.size() >= 50, "parity.json has " + items.size() + " items, expected at least 50");
        int maxNewTokens = parity.get("max_new_tokens").asInt();
        ImageLoader images = new ImageLoader();
        List<String> mismatches = new ArrayList<>();
        for (JsonNode item : items) {
            boolean thinking = item.get("thinking").asBoolean();
            Prompt prompt = Prompt.of(item.get("prompt").asText(), images.load(EVAL.resolve(item.get("image").asText())));
            GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(maxNewTokens).withThinking(thinking);
            Glm4vModel.DetailedAnswer got = model.generateDetailed(prompt, options, TokenListener.NONE,
                    CancellationToken.NEVER);
            String what = item.get("image").asText() + " '" + item.get("prompt").asText() + "' thinking=" + thinking;
            if (!Arrays.equals(Glm4vFixtures.ints(item.get("input_ids")), got.inputIds())) {
                mismatches.add(what + ": prompt ids differ");
                continue;
            }
            List<Integer> expected = Arrays.stream(Glm4vFixtures.ints(item.get("generated_ids"))).boxed().toList();
            if (!expected.equals(got.answer().tokenIds())) {
                mismatches.add(what + ": transformers " + expected + " '" + item.get("answer").asText() + "', Java "
                        + got.answer().tokenIds() + " '" + got.answer().text() + "'");
            }
        }
        assertEquals(List.of(), mismatches, mismatches.size() + " of " + items.size() + " items differ");
    }
}
