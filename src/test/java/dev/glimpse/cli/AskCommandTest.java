package dev.glimpse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.ModelLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glimpse ask} on the tiny fixture checkpoint, through {@link Main}. */
class AskCommandTest {

    private final CapturedCli cli = new CapturedCli();

    private static Path fixture(String path) {
        try {
            return Path.of(AskCommandTest.class.getResource("/glm4v/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // no GLIMPSE_MODEL, and an installation without models/glimpse-tiny, whatever the machine has
    @TempDir
    Path emptyHome;

    private int run(String... args) {
        return run(new CliEnvironment(ModelLocation.resolve(null, emptyHome), false), args);
    }

    private int run(CliEnvironment environment, String... args) {
        return cli.run(environment, args);
    }

    @Test
    void decodingIsGreedyUnlessATemperatureIsGiven() {
        CliEnvironment environment = new CliEnvironment(ModelLocation.resolve(null, emptyHome), false);
        String model = fixture("tiny-a/model").toString();
        // what tiny-a's generation_config.json asks for: do_sample with temperature 0.8, top-k 2, top-p 0.6
        var sampling = dev.glimpse.engine.GenerationOptions.DEFAULT.withTemperature(0.8).withTopK(2).withTopP(0.6);

        var greedy = AskCommand.options(sampling, AskCommand.parse(List.of("--model", model, "--prompt", "hi"),
                environment));
        assertEquals(0.0, greedy.temperature(), "README: greedy is the default");
        assertEquals(2, greedy.topK());

        var sampled = AskCommand.options(sampling, AskCommand.parse(List.of("--model", model, "--prompt", "hi",
                "--temperature", "0.7"), environment));
        assertEquals(0.7, sampled.temperature());
        assertEquals(0.6, sampled.topP(), "the model's own top-p applies once it samples");
    }

    @Test
    void dtypeOptionChoosesWhatTheModelComputesIn() throws IOException {
        int code = run("ask", "--model", fixture("tiny-a/model").toString(), "--prompt", "Hello!",
                "--max-tokens", "2", "--dtype", "bfloat16", "--json");
        assertEquals(0, code, cli.stderr());
        assertEquals("bfloat16", new ObjectMapper().readTree(cli.stdout()).get("model").get("dtype").asText());
    }

    @Test
    void anUnknownDtypeIsAUsageError() {
        int code = run("ask", "--model", fixture("tiny-a/model").toString(), "--prompt", "Hello!", "--dtype", "int4");
        assertEquals(Main.USAGE, code);
        assertTrue(cli.stderr().contains("--dtype int4 is not a dtype: use bfloat16, float32 or float16"), cli.stderr());
    }

    @Test
    void jsonModeReportsTheAnswerTokensAndTimings() throws IOException {
        int code = run("ask", "--model", fixture("tiny-a/model").toString(), "--prompt", "Hello!",
                "--max-tokens", "6", "--temperature", "0", "--json");
        assertEquals(0, code, cli.stderr());
        JsonNode json = new ObjectMapper().readTree(cli.stdout());
        assertEquals("cpu()", json.get("model").get("device").asText());
        assertEquals("float32", json.get("model").get("dtype").asText());
        assertTrue(json.get("warnings").isArray(), json.toString());
        assertEquals(6, json.get("completion_tokens").asInt());
        assertEquals(6, json.get("tokens").size());
        assertEquals("length", json.get("finish_reason").asText());
        assertEquals(json.get("input_ids_length").asInt(), json.get("prompt_tokens").asInt());
        assertEquals(5, json.get("first_step_top5").size());
        assertEquals(json.get("tokens").get(0).asInt(), json.get("first_step_top5").get(0).get("id").asInt());
        assertEquals(5, json.get("timings_ms").get("decode_steps").size());
        for (String phase : new String[] {"load", "preprocessing", "vision_encoder", "prefill", "total"}) {
            assertTrue(json.get("timings_ms").get(phase).asDouble() >= 0, phase);
        }
        assertTrue(json.has("answer") && json.has("reasoning") && json.get("boxes").isArray());
    }

    @Test
    void imagesGoThroughTheVisionTower() throws IOException {
        int code = run("ask", "--model", fixture("tiny-a/model").toString(), "--image",
                fixture("images/shapes_rgb.png").toString(), "--image", fixture("images/stripes_l.png").toString(),
                "--prompt", "What shapes are in this picture?", "--max-tokens", "3", "--seed", "7", "--json");
        assertEquals(0, code, cli.stderr());
        JsonNode json = new ObjectMapper().readTree(cli.stdout());
        // 4 + 2 image tokens (16 and 8 patches, merged 2×2) are part of the prompt
        assertTrue(json.get("prompt_tokens").asInt() > 6);
        assertTrue(json.get("timings_ms").get("vision_encoder").asDouble() > 0);
        assertEquals(3, json.get("completion_tokens").asInt());
    }

    @Test
    void plainModeStreamsTheGeneratedText() {
        int code = run("ask", "--model", fixture("tiny-b/model").toString(), "--prompt", "Hello!",
                "--max-tokens", "8", "--temperature", "0", "--no-think");
        assertEquals(0, code, cli.stderr());
        assertTrue(cli.stdout().endsWith(System.lineSeparator()));
        assertTrue(cli.stdout().strip().length() > 0, "some answer text was streamed");
    }

    @Test
    void withoutModelTheDefaultModelOfTheInstallationIsUsed(@TempDir Path home) throws IOException {
        FixtureModel.installAsDefault(home);
        int code = run(new CliEnvironment(ModelLocation.resolve(null, home), false), "ask", "--prompt", "Hello!",
                "--max-tokens", "2", "--json");
        assertEquals(0, code, cli.stderr());
        assertEquals("glimpse-tiny", new ObjectMapper().readTree(cli.stdout()).get("model").get("name").asText());
    }

    @Test
    void glimpseModelPointingNowhereIsAUsageError(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-such-model");
        assertEquals(2, run(new CliEnvironment(ModelLocation.resolve(missing.toString(), tmp), false), "ask",
                "--prompt", "hi"));
        assertTrue(cli.stderr().contains("GLIMPSE_MODEL is set to " + missing + ", which does not exist"), cli.stderr());
    }

    @Test
    void helpIsPrintedWithExitZero() {
        assertEquals(0, run("ask", "--help"));
        assertTrue(cli.stdout().startsWith("usage: glimpse ask [--model DIR|URL]"));
        assertEquals(0, run("--help"));
    }

    @Test
    void userErrorsExitWithTwoAndSayWhatToFix(@TempDir Path tmp) throws IOException {
        List<String[]> cases = new ArrayList<>();
        String model = fixture("tiny-a/model").toString();
        cases.add(new String[] {"ask", "--prompt", "hi"});
        cases.add(new String[] {"ask", "--model", tmp.resolve("nope").toString(), "--prompt", "hi"});
        cases.add(new String[] {"ask", "--model", model, "--image", tmp.resolve("cat.png").toString(), "--prompt",
            "hi"});
        cases.add(new String[] {"ask", "--model", model, "--prompt", "hi", "--max-tokens", "lots"});
        cases.add(new String[] {"ask", "--model", model, "--prompt", "hi", "--temperature", "-2"});
        cases.add(new String[] {"ask", "--model", model});
        Path notImage = Files.writeString(tmp.resolve("notes.png"), "not a picture");
        cases.add(new String[] {"ask", "--model", model, "--image", notImage.toString(), "--prompt", "hi"});
        cases.add(new String[] {"ask", "--model", tmp.toString(), "--prompt", "hi"});
        String[] expected = {
            "No model given, and the default model " + emptyHome.resolve("models/glimpse-tiny") + " is missing. "
                    + "Give --model DIR or set GLIMPSE_MODEL",
            "--model directory " + tmp.resolve("nope") + " does not exist",
            "--image file " + tmp.resolve("cat.png") + " does not exist",
            "--max-tokens expects a whole number, got 'lots'",
            "--temperature must be a number of at least 0.0, was -2",
            "Missing --prompt, e.g. --prompt \"What is in this image?\"",
            "is not in a format Java can decode",
            "No config.json in",
        };
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(2, run(cases.get(i)), String.join(" ", cases.get(i)));
            assertTrue(cli.stderr().contains(expected[i]), "expected «" + expected[i] + "» in «" + cli.stderr() + "»");
        }
    }

    @Test
    void unknownCommandsAndNoCommandExitWithTwo() {
        assertEquals(2, run());
        assertTrue(cli.stderr().contains("usage: glimpse <command>"));
        assertEquals(2, run("serve-me"));
        assertTrue(cli.stderr().contains("unknown command 'serve-me'"));
    }
}
