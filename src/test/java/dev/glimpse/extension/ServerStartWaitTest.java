package dev.glimpse.extension;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import dev.glimpse.engine.remote.RemoteModelException;
import dev.glimpse.serve.ChatServer;
import dev.glimpse.serve.ServeOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A notebook whose model is {@code glimpse web}'s server, asking before that server listens (the container starts
 * both at once, and a large model loads for minutes): the cell waits with a line saying so, then gets its answer.
 * On the real server ({@link ChatServer} on the tiny-a fixture) started a little after the question.
 */
class ServerStartWaitTest {

    private static final String KEY = "start-wait-key";
    private static final GenerationOptions TWO_TOKENS = GenerationOptions.DEFAULT.withMaxNewTokens(2);

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ServeOptions serving(int port) {
        return ServeOptions.of("glimpse-tiny").withHost("127.0.0.1").withPort(port).withApiKey(KEY);
    }

    private static List<String> lines(RecordedCellOutput output) {
        return output.bundles.stream().map(b -> b.get(Bundle.PLAIN)).toList();
    }

    // the real server on tiny-a, listening from about 1.5 s on (as glimpse web does once its model is loaded)
    private static CompletableFuture<ChatServer> startLate(int port) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(1500);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return ChatServer.start(ExtensionFixtures.model(), serving(port));
        });
    }

    @Test
    void aBatchWaitsForTheServerBeforeItStartsAndALocalModelDoesNot() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/v1";
        CompletableFuture<ChatServer> late = startLate(port);
        RecordedCellOutput output = new RecordedCellOutput();
        try (OpenAiCompatibleModel remote = OpenAiCompatibleModel.connect(url, "glimpse-tiny", KEY)) {
            ServerStartWait.awaitIfStarting(remote, output);
            assertTrue(late.isDone(), "returned only once the server listened");
        } finally {
            late.get(60, TimeUnit.SECONDS).close();
        }
        List<String> lines = lines(output);
        assertTrue(lines.get(0).startsWith("Waiting for the model server at " + url + " to finish starting… "),
                lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("The model server at " + url + " answered after "),
                lines.toString());
        RecordedCellOutput local = new RecordedCellOutput();
        ServerStartWait.awaitIfStarting(ExtensionFixtures.model(), local);
        assertEquals(List.of(), lines(local), "nothing to wait for in this JVM");
    }

    @Test
    void anAskBeforeTheServerListensWaitsInTheCellThenAnswers() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/v1";
        CompletableFuture<ChatServer> late = startLate(port);
        RecordedCellOutput output = new RecordedCellOutput();
        try (OpenAiCompatibleModel remote = OpenAiCompatibleModel.connect(url, "glimpse-tiny", KEY,
                OpenAiCompatibleModel.Options.DEFAULT.withStartupWait(Duration.ofSeconds(60)))) {
            dev.glimpse.engine.Answer answer = ServerStartWait.generate(remote, Prompt.of("Hi"), TWO_TOKENS,
                    TokenListener.NONE, output);
            assertEquals(2, answer.usage().completionTokens(), "the answer came from the server once it started");
        } finally {
            late.get(60, TimeUnit.SECONDS).close();
        }
        List<String> lines = lines(output);
        assertTrue(lines.size() >= 3, "shown, updated while waiting, and the outcome: " + lines);
        assertTrue(lines.get(0).startsWith("Waiting for the model server at " + url + " to finish starting… "),
                lines.get(0));
        assertTrue(lines.get(0).endsWith("(up to 1 min 0 s; interrupt the cell to stop waiting)"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("The model server at " + url + " answered after "),
                lines.get(lines.size() - 1));
        assertTrue(output.ids.stream().allMatch("id-0"::equals), "one line, updated in place: " + output.ids);
    }

    @Test
    void aServerThatIsUpWithAWrongKeyFailsAtOnceWithoutAWaitLine() throws IOException {
        int port = freePort();
        try (ChatServer server = ChatServer.start(ExtensionFixtures.model(), serving(port));
             OpenAiCompatibleModel remote = OpenAiCompatibleModel.connect(server.baseUrl().toString(),
                     "glimpse-tiny", "wrong-key")) {
            RecordedCellOutput output = new RecordedCellOutput();
            RemoteModelException e = assertThrows(RemoteModelException.class, () -> ServerStartWait.generate(
                    remote, Prompt.of("Hi"), TWO_TOKENS, TokenListener.NONE, output));
            assertEquals(401, e.statusCode(), e.getMessage());
            assertEquals(List.of(), lines(output), "no wait for an ordinary error");
        }
    }

    @Test
    void interruptingTheCellStopsTheWait() throws IOException {
        String url = "http://127.0.0.1:" + freePort() + "/v1";
        RecordedCellOutput recorded = new RecordedCellOutput();
        CellOutput interruptedOnceShown = new CellOutput() {
            @Override
            public String show(Bundle bundle) {
                return recorded.show(bundle);
            }

            @Override
            public void update(String displayId, Bundle bundle) {
                recorded.update(displayId, bundle);
            }

            @Override
            public boolean interruptRequested() {
                return !recorded.bundles.isEmpty();
            }

            @Override
            public boolean live() {
                return true;
            }
        };
        long t0 = System.nanoTime();
        try (OpenAiCompatibleModel remote = OpenAiCompatibleModel.connect(url, "glimpse-tiny", KEY)) {
            CancellationException e = assertThrows(CancellationException.class, () -> ServerStartWait.generate(
                    remote, Prompt.of("Hi"), TWO_TOKENS, TokenListener.NONE, interruptedOnceShown));
            assertEquals("Interrupted while waiting for the model server at " + url + " to finish starting. Ask "
                    + "again once it is up.", e.getMessage());
        }
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000, "stopped long before the 2 min bound");
        List<String> lines = lines(recorded);
        assertTrue(lines.get(lines.size() - 1).startsWith("The model server at " + url
                + " was not waited for (interrupted) after "), lines.toString());
    }
}
