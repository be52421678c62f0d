package dev.glimpse.cli;

import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.hub.HubModelId;
import dev.glimpse.engine.hub.HubSettings;
import dev.glimpse.engine.hub.HubStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code glimpse pull} and Hub ids as {@code --model} / {@code GLIMPSE_MODEL}, through {@link Main}, against
 * {@link HubStandIn} (a local stand-in for the Hub and its storage host; see its Javadoc for what it reproduces)
 * serving the tiny-a fixture checkpoint as {@code acme/tiny}.
 */
class HubModelCommandTest {

    static final String REPO = "acme/tiny";

    @TempDir
    Path home;

    private final CapturedCli cli = new CapturedCli();
    private HubStandIn hub;
    private Path cache;

    @BeforeEach
    void startHub() throws IOException, URISyntaxException {
        hub = HubStandIn.start().serve(REPO, Path.of(getClass().getResource("/glm4v/tiny-a/model").toURI()));
        cache = home.resolve("hf-cache");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private CliEnvironment environment(String glimpseModel, boolean offline) {
        return new CliEnvironment(ModelLocation.resolve(glimpseModel, home), false, null,
                new HubSettings(hub.endpoint(), null, cache, offline));
    }

    private int run(CliEnvironment environment, String... args) {
        return cli.run(environment, args);
    }

    @Test
    void pullFetchesIntoTheHubCacheAndPrintsTheSnapshot() {
        assertEquals(0, run(environment(null, false), "pull", REPO), cli.stderr());
        Path snapshot = cache.resolve("models--acme--tiny/snapshots/" + hub.commit(REPO));
        assertEquals(snapshot + System.lineSeparator(), cli.stdout());
        assertTrue(cli.stderr().startsWith("glimpse pull: fetching acme/tiny (commit " + hub.commit(REPO).substring(0, 12)
                + "): "), cli.stderr());
        assertTrue(cli.stderr().contains(" 100%"), cli.stderr());
        assertTrue(Files.isRegularFile(snapshot.resolve("model-00001-of-00004.safetensors")));

        int requests = hub.requestCount();
        assertEquals(0, run(environment(null, false), "pull", REPO + "@main"), cli.stderr());
        assertEquals("glimpse pull: acme/tiny is in " + snapshot + System.lineSeparator(), cli.stderr(),
                "up to date: nothing to download");
        assertEquals(1, hub.requestCount() - requests, "only the revision was asked for");
    }

    @Test
    void aHubIdAsModelIsFetchedOnceThenLoadedFromTheCache() {
        assertEquals(0, run(environment(null, false), "ask", "--model", REPO, "--prompt", "Hello", "--max-tokens",
                "3", "--no-think"), cli.stderr());
        assertTrue(cli.stderr().contains("glimpse ask: fetching acme/tiny"), cli.stderr());
        assertFalse(cli.stdout().isBlank());
        int requests = hub.requestCount();

        // GLIMPSE_MODEL=acme/tiny, and the Hub unreachable for good measure: the cache is used without a request
        hub.close();
        assertEquals(0, run(environment(REPO, false), "ask", "--prompt", "Hello", "--max-tokens", "3", "--no-think"),
                cli.stderr());
        assertFalse(cli.stderr().contains("fetching"), cli.stderr());
        assertEquals(requests, hub.requestCount());
    }

    @Test
    void serveTakesAHubIdToo() throws Exception {
        ServeCommand command = new ServeCommand(cli.stdoutStream(), cli.stderrStream(),
                environment(null, false));
        try (ServeCommand.Serving serving = command.start(List.of("--model", REPO, "--port", "0"))) {
            assertTrue(serving.model().info().source().endsWith("models--acme--tiny/snapshots/" + hub.commit(REPO)));
            assertEquals("tiny", serving.model().info().name(), "the repository's name, not the commit hash");
        }
    }

    @Test
    void anExistingDirectoryWinsOverAHubIdOfTheSameShape() throws IOException {
        // relative to the working directory, as a user types it
        String name = "target/hub-test-" + ProcessHandle.current().pid();
        Path dir = Files.createDirectories(Path.of(name));
        try {
            ModelLocation none = environment(null, false).configuredModel();
            assertEquals(new ModelOption.Local(Path.of(name)), ModelOption.local(Optional.of(name), none));
            assertEquals(new ModelOption.Hub(HubModelId.parse("target/no-such-dir")),
                    ModelOption.local(Optional.of("target/no-such-dir"), none));
            assertEquals(Optional.empty(), ModelLocation.resolve(name, home).hubId());
            assertEquals(Optional.of(HubModelId.parse(REPO)), ModelLocation.resolve(REPO, home).hubId());
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void hubFailuresNameTheRepositoryAndTheFix() {
        assertEquals(2, run(environment(null, false), "pull", "acme/unknown"), "fix the name (or the token)");
        assertTrue(cli.stderr().startsWith("glimpse pull: acme/unknown was not found on " + hub.endpoint()), cli.stderr());

        assertEquals(2, run(environment(null, false), "pull", "not-an-id"));
        assertTrue(cli.stderr().startsWith("glimpse pull: 'not-an-id' is not a Hugging Face repository id"), cli.stderr());

        assertEquals(1, run(environment(null, true), "pull", REPO));
        assertTrue(cli.stderr().startsWith("glimpse pull: HF_HUB_OFFLINE is set, and acme/tiny is not in the cache"),
                cli.stderr());

        assertEquals(1, run(environment(null, true), "ask", "--model", REPO, "--prompt", "Hi"));
        assertTrue(cli.stderr().startsWith("glimpse ask: HF_HUB_OFFLINE is set, and acme/tiny is not in the cache"),
                cli.stderr());
        assertFalse(cli.stderr().contains("Exception"), cli.stderr());
    }
}
