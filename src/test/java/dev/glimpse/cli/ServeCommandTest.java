package dev.glimpse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.ModelLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glimpse serve} in this JVM on a free port, and {@code ask} / {@code eval} with {@code --model http://…}. */
class ServeCommandTest {

    private final CapturedCli cli = new CapturedCli();

    @TempDir
    Path home;

    private static String fixture(String path) {
        try {
            return Path.of(ServeCommandTest.class.getResource("/glm4v/" + path).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private CliEnvironment environment(String glimpseModel, String apiKey) {
        return new CliEnvironment(ModelLocation.resolve(glimpseModel, home), false, apiKey);
    }

    private int run(CliEnvironment environment, String... args) {
        return cli.run(environment, args);
    }

    private int run(String... args) {
        return run(environment(null, null), args);
    }

    /** Starts {@code glimpse serve --port 0 ...}; its own output goes to {@code log}. */
    private static ServeCommand.Serving serve(CliEnvironment environment, ByteArrayOutputStream log,
                                              String... args) {
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        return new ServeCommand(print, print, environment).start(List.of(args));
    }

    @Test
    void helpIsPrinted() {
        assertEquals(0, run("serve", "--help"));
        assertTrue(cli.stdout().startsWith("usage: glimpse serve [--model DIR]"));
        assertEquals(0, run("help"));
        assertTrue(cli.stdout().contains("serve  serve a local model over an OpenAI-compatible HTTP API"));
    }

    @Test
    void userErrorsExitWithTwoAndSayWhatToFix() throws IOException {
        String model = fixture("tiny-a/model");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String[][] cases = {
                {"--model", model, "--port", "70000"},
                {"--model", model, "--port", "eighty"},
                {"--model", model, "--allowed-local-media-path", home.resolve("nope").toString()},
                {"--model", "http://localhost:8000/v1"},
                {"--model", model, "--api-key", ""},
                {"--model", model, "--port", Integer.toString(taken.getLocalPort())},
            };
            String[] expected = {
                "--port must be at most 65535, was 70000",
                "--port expects a whole number, got 'eighty'",
                "--allowed-local-media-path " + home.resolve("nope") + " does not exist",
                "glimpse serve needs a local model directory, not an endpoint URL (http://localhost:8000/v1)",
                "--api-key is empty",
                "is another server using the port? Pick another with --port, or 0 for any free one.",
            };
            for (int i = 0; i < cases.length; i++) {
                String[] args = new String[cases[i].length + 1];
                args[0] = "serve";
                System.arraycopy(cases[i], 0, args, 1, cases[i].length);
                assertEquals(2, run(args), String.join(" ", args));
                assertTrue(cli.stderr().contains(expected[i]), "expected «" + expected[i] + "» in «" + cli.stderr() + "»");
            }
        }
        // GLIMPSE_MODEL pointing at an endpoint cannot be served either
        assertEquals(2, run(environment("http://gpu-box:8000/v1", null), "serve"));
        assertTrue(cli.stderr().contains("not an endpoint URL (GLIMPSE_MODEL=http://gpu-box:8000/v1)"), cli.stderr());
    }

    @Test
    void askOverHttpAnswersAsAskLocally() throws IOException, InterruptedException {
        String model = fixture("tiny-a/model");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ServeCommand.Serving serving = serve(environment(null, null), log, "--model", model, "--port", "0",
                "--served-model-name", "tiny")) {
            String url = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("http://"))
                    .findFirst().orElseThrow();
            assertEquals(serving.server().baseUrl().toString(), url);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("tiny (cpu(), float32) at " + url
                    + " — no API key"));

            String[] question = {"--image", fixture("images/shapes_rgb.png"), "--prompt", "What is this?",
                "--max-tokens", "6", "--temperature", "0", "--json"};
            assertEquals(0, run(concat(new String[] {"ask", "--model", model}, question)), cli.stderr());
            JsonNode local = new ObjectMapper().readTree(cli.stdout());
            assertEquals(0, run(concat(new String[] {"ask", "--model", url}, question)), cli.stderr());
            JsonNode remote = new ObjectMapper().readTree(cli.stdout());
            for (String field : new String[] {"answer", "reasoning", "finish_reason", "prompt_tokens",
                "completion_tokens", "boxes"}) {
                assertEquals(local.get(field), remote.get(field), field);
            }
            assertEquals("tiny", remote.get("model").get("name").asText());
            assertEquals("remote", remote.get("model").get("device").asText());
            assertEquals(url, remote.get("model").get("source").asText());
            assertFalse(remote.has("tokens"), "the API has no token ids");

            // the request log on the server's stderr, written once the server is done with the request: that can
            // be just after the client has read the end of the stream
            String logged = " 200 stream: " + remote.get("prompt_tokens") + " + 6 tokens, length, ";
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!log.toString(StandardCharsets.UTF_8).contains(logged) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(log.toString(StandardCharsets.UTF_8).contains(logged), log.toString(StandardCharsets.UTF_8));

            // GLIMPSE_MODEL may be the URL, and plain output streams as locally
            assertEquals(0, run(environment(url, null), "ask", "--prompt", "What is this?", "--image",
                    fixture("images/shapes_rgb.png"), "--max-tokens", "6", "--temperature", "0"), cli.stderr());
            assertEquals(local.get("answer").asText(), cli.stdout().strip());
        }
    }

    @Test
    void evalOverHttp(@TempDir Path dir) throws IOException {
        Files.copy(Path.of(fixture("images/shapes_rgb.png")), dir.resolve("shapes.png"));
        Path data = Files.writeString(dir.resolve("shapes.jsonl"), """
                {"image": "shapes.png", "question": "What shape is red?", "answer": "circle"}
                {"image": "shapes.png", "question": "What shape is blue?", "answer": "square"}
                """);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ServeCommand.Serving serving = serve(environment(null, null), log, "--model", fixture("tiny-a/model"),
                "--port", "0")) {
            String url = serving.server().baseUrl().toString();
            assertEquals(0, run("eval", "--model", url, "--data", data.toString(), "--out",
                    dir.resolve("out.csv").toString(), "--max-tokens", "4"), cli.stderr());
            assertTrue(cli.stderr().contains("glimpse eval: connecting to " + url + " …"), cli.stderr());
            assertTrue(cli.stdout().startsWith("model (remote, unknown) on shapes.jsonl: 2 questions, greedy, thinking "
                    + "on, at most 4 new tokens"), cli.stdout());
            assertEquals(3, Files.readAllLines(dir.resolve("out.csv")).size());
        }
    }

    @Test
    void theApiKeyComesFromTheOptionOrTheEnvironment() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // the server takes GLIMPSE_API_KEY from its environment
        try (ServeCommand.Serving serving = serve(environment(null, "sk-right"), log, "--model",
                fixture("tiny-a/model"), "--port", "0")) {
            String url = serving.server().baseUrl().toString();
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("API key required"));
            String[] ask = {"ask", "--model", url, "--prompt", "Hi", "--max-tokens", "2"};

            assertEquals(1, run(concat(ask, new String[] {"--api-key", "sk-wrong"})));
            assertTrue(cli.stderr().startsWith("glimpse ask: the endpoint rejected the API key (HTTP 401: "), cli.stderr());
            assertTrue(cli.stderr().contains("set GLIMPSE_API_KEY or --api-key"), cli.stderr());

            assertEquals(0, run(concat(ask, new String[] {"--api-key", "sk-right"})), cli.stderr());
            assertEquals(0, run(environment(null, "sk-right"), ask), cli.stderr());
        }
        // endpoint options make no sense with a local model
        assertEquals(2, run("ask", "--model", fixture("tiny-a/model"), "--prompt", "Hi", "--api-key", "k"));
        assertTrue(cli.stderr().contains("--api-key is for endpoints"), cli.stderr());
    }

    @Test
    void anEndpointThatIsDownFailsWithExitOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(1, run("ask", "--model", "http://127.0.0.1:" + port, "--prompt", "Hi"));
        assertEquals("glimpse ask: cannot reach http://127.0.0.1:" + port + "/v1: is the server running? "
                + "(connection refused)", cli.stderr().strip());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
