package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Role;
import dev.glimpse.engine.TokenListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public model end to end on the fixture checkpoints: prompt in, transformers' tokens out. */
class Glm4vModelTest {

    private static final Map<String, Glm4vModel> MODELS = new HashMap<>();

    @AfterAll
    static void stop() {
        MODELS.values().forEach(Glm4vModel::close);
    }

    static Glm4vModel model(Glm4vFixtures.Case c) {
        return MODELS.computeIfAbsent(c.model(), m -> Glm4vModel.load(c.modelDir()));
    }

    /** The case's chat messages as a {@link Prompt}, images read from their PNG files. */
    static Prompt prompt(Glm4vFixtures.Case c) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : c.json().get("messages")) {
            Role role = Role.valueOf(m.get("role").asText().toUpperCase(Locale.ROOT));
            JsonNode content = m.get("content");
            List<Part> parts = new ArrayList<>();
            if (content.isTextual()) {
                parts.add(new Part.Text(content.asText()));
            } else {
                for (JsonNode part : content) {
                    if (part.get("type").asText().equals("text")) {
                        parts.add(new Part.Text(part.get("text").asText()));
                    } else {
                        String name = part.get("image").asText();
                        parts.add(new Part.Image(new ImageInput(name, png(name))));
                    }
                }
            }
            messages.add(new Message(role, parts));
        }
        return new Prompt(messages);
    }

    private static java.awt.image.BufferedImage png(String name) {
        try {
            return ImageIO.read(Glm4vFixtures.root().resolve("images").resolve(name + ".png").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Glm4vFixtures.Case> supportedCases() {
        return Glm4vFixtures.cases().stream();
    }

    @TestFactory
    Stream<DynamicTest> greedyAnswersMatchTransformers() {
        return supportedCases().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Glm4vModel model = model(c);
            int[] expected = c.greedyTokens();
            GenerationOptions greedy = GenerationOptions.DEFAULT.withMaxNewTokens(expected.length)
                    .withThinking(c.json().get("enable_thinking").asBoolean());
            List<TokenListener.Token> streamed = new ArrayList<>();
            Glm4vModel.DetailedAnswer detailed = model.generateDetailed(prompt(c), greedy, streamed::add,
                    CancellationToken.NEVER);
            Answer answer = detailed.answer();
            assertArrayEquals(c.inputIds(), detailed.inputIds(), "input ids");
            assertArrayEquals(expected, answer.tokenIds().stream().mapToInt(Integer::intValue).toArray());
            assertEquals(FinishReason.LENGTH, answer.finishReason());
            assertEquals(c.inputIds().length, answer.usage().promptTokens());
            assertEquals(expected.length, answer.usage().completionTokens());
            assertEquals(expected.length - 1, answer.timings().decodeMillis().size());
            assertArrayEquals(Glm4vFixtures.ints(c.json().get("first_step_top5").get("ids")),
                    detailed.firstStepTop5().stream().mapToInt(TokenLogit::id).toArray());
            assertEquals(answer.tokenIds(), streamed.stream().map(TokenListener.Token::id).toList());
            // the streamed pieces add up to the reasoning and the answer
            String streamedReasoning = String.join("", streamed.stream().filter(TokenListener.Token::reasoning)
                    .map(TokenListener.Token::text).toList());
            String streamedAnswer = String.join("", streamed.stream().filter(t -> !t.reasoning())
                    .map(TokenListener.Token::text).toList());
            assertTrue(answer.reasoning().startsWith(PythonStrings.strip(streamedReasoning)), answer.reasoning());
            assertTrue(answer.text().startsWith(PythonStrings.strip(streamedAnswer)), answer.text());
            // special tokens a random model emits (e.g. tiny-b's </arg_value>) never reach the text; box markers may
            String visible = (answer.text() + answer.reasoning()).replace(SpecialTokens.BEGIN_OF_BOX, "")
                    .replace(SpecialTokens.END_OF_BOX, "");
            Glm4vFixtures.read(Glm4vFixtures.root().resolve("manifest.json")).get("special_tokens").fieldNames()
                    .forEachRemaining(token -> assertTrue(!visible.contains(token), token + " in " + visible));
        }));
    }

    @Test
    void infoDescribesTheLoadedModel() {
        Glm4vFixtures.Case c = supportedCases().findFirst().orElseThrow();
        Glm4vModel model = model(c);
        assertEquals("cpu()", model.info().device());
        assertEquals("float32", model.info().dtype());
        int expectedParameters = Glm4vFixtures.read(Glm4vFixtures.root().resolve("manifest.json"))
                .get("configs").get(c.model()).get("parameters").asInt();
        assertEquals(expectedParameters, model.info().parameters());
        assertEquals(4L * expectedParameters, model.info().weightBytes());
        assertEquals(java.util.Set.of(480, 487, 489), model.stopIds());
    }

    @Test
    void cancellationKeepsThePartialAnswer() {
        Glm4vFixtures.Case c = Glm4vFixtures.cases().get(0);
        int[] seen = {0};
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(50)
                .withThinking(c.json().get("enable_thinking").asBoolean());
        Answer answer = model(c).generate(prompt(c), options, token -> seen[0]++, () -> seen[0] >= 3);
        assertEquals(FinishReason.CANCELLED, answer.finishReason());
        assertEquals(3, answer.tokenIds().size());
        assertArrayEquals(java.util.Arrays.copyOf(c.greedyTokens(), 3),
                answer.tokenIds().stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void aClosedModelSaysSo() {
        Glm4vFixtures.Case c = supportedCases().findFirst().orElseThrow();
        Glm4vModel model = Glm4vModel.load(c.modelDir());
        model.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.generate(Prompt.of("hi"), GenerationOptions.DEFAULT));
        assertEquals("This model was closed; load it again to generate", e.getMessage());
    }
}
