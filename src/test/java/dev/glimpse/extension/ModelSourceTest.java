package dev.glimpse.extension;

import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.hub.HubSettings;
import dev.glimpse.engine.hub.HubStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the model comes from, and the model slot's states: loading, ready, failed, empty. */
class ModelSourceTest {

    @TempDir
    Path dir;

    @Test
    void urlsAreEndpointsAndEverythingElseDirectories() throws java.io.IOException {
        Map<String, String> env = Map.of("GLIMPSE_MODEL", "https://example.test/v1", "GLIMPSE_MODEL_NAME",
                "glm-4.6v-flash", "GLIMPSE_API_KEY", "secret");
        ModelSource remote = ModelSource.parse("https://example.test/v1", "%model", dir, env);
        ModelSource.Endpoint endpoint = assertInstanceOf(ModelSource.Endpoint.class, remote);
        assertEquals(URI.create("https://example.test/v1"), endpoint.baseUrl());
        assertEquals("glm-4.6v-flash", endpoint.name());
        assertFalse(endpoint.toString().contains("secret"), "the key is never shown: " + endpoint);
        Files.createDirectories(dir.resolve("models/x"));
        ModelSource local = ModelSource.parse("models/x", "%model", dir, env);
        assertEquals(new ModelSource.Directory(dir.resolve("models/x"), "%model"), local);
        assertEquals("x", local.name());
        var bad = assertThrows(IllegalArgumentException.class, () -> ModelSource.parse("http://", "GLIMPSE_MODEL",
                null, env));
        assertTrue(bad.getMessage().contains("is not a valid URL"), bad.getMessage());
    }

    @Test
    void theConfiguredKeyAndNameGoOnlyToTheConfiguredEndpoint() {
        // as docker/start.sh sets them: the key is the Jupyter token
        Map<String, String> env = Map.of("GLIMPSE_MODEL", "http://127.0.0.1:7860/v1", "GLIMPSE_MODEL_NAME",
                "GLM-4.6V-Flash", "GLIMPSE_API_KEY", "jupyter-token");
        for (String same : List.of("http://127.0.0.1:7860/v1", "http://127.0.0.1:7860/v1/", "HTTP://127.0.0.1:7860/v1")) {
            assertEquals(new ModelSource.Endpoint(URI.create(same), "GLM-4.6V-Flash", "jupyter-token"),
                    ModelSource.parse(same, "%model", dir, env), same);
        }
        for (String other : List.of("https://api.openai.com/v1", "http://127.0.0.1:7861/v1",
                "http://127.0.0.1:7860/v2", "https://127.0.0.1:7860/v1")) {
            assertEquals(new ModelSource.Endpoint(URI.create(other), null, null),
                    ModelSource.parse(other, "%model", dir, env), other);
        }
        Map<String, String> withOpenAiKey = new java.util.HashMap<>(env);
        withOpenAiKey.put("OPENAI_API_KEY", "sk-user");
        assertEquals(new ModelSource.Endpoint(URI.create("https://api.openai.com/v1"), null, "sk-user"),
                ModelSource.parse("https://api.openai.com/v1", "%model", dir, withOpenAiKey));
        assertEquals(new ModelSource.Endpoint(URI.create("https://example.test:443/v1/"), null, null),
                ModelSource.parse("https://example.test:443/v1/", "%model", dir,
                        Map.of("GLIMPSE_API_KEY", "k", "GLIMPSE_MODEL_NAME", "m")), "no GLIMPSE_MODEL: not configured");
        assertEquals(new ModelSource.Endpoint(URI.create("https://example.test:443/v1/"), "m", "k"),
                ModelSource.parse("https://example.test:443/v1/", "%model", dir,
                        Map.of("GLIMPSE_MODEL", "https://EXAMPLE.test/v1", "GLIMPSE_API_KEY", "k",
                                "GLIMPSE_MODEL_NAME", "m")), "default port and end slash are the same URL");
    }

    @Test
    void anEndpointThatIsDownNamesTheUrlAndWhatToCheck() {
        // Port 9 (discard) has no listener here; without a model name the client asks GET /models and fails.
        ModelSource remote = ModelSource.parse("http://127.0.0.1:9/v1", "GLIMPSE_MODEL", null, Map.of());
        var e = assertThrows(ModelUnavailableException.class, remote::open);
        assertTrue(e.getMessage().contains("Connecting to http://127.0.0.1:9/v1 failed"), e.getMessage());
        assertTrue(e.getMessage().contains("GLIMPSE_MODEL_NAME"), e.getMessage());
    }

    @Test
    void configuredIsTheEnvironmentElseTheDefaultModel() {
        Path home = dir.resolve("glimpse");
        assertEquals(new ModelSource.Directory(home.resolve("models/glimpse-tiny"), "default model"),
                ModelSource.configured(Map.of(), home));
        assertEquals(new ModelSource.Directory(Path.of("/m/x"), "GLIMPSE_MODEL"),
                ModelSource.configured(Map.of("GLIMPSE_MODEL", "/m/x"), home));
    }

    @Test
    void aMissingOrBrokenDirectoryNamesItAndTheFix() throws Exception {
        var missing = assertThrows(ModelUnavailableException.class,
                () -> new ModelSource.Directory(dir.resolve("gone"), "GLIMPSE_MODEL").open());
        assertTrue(missing.getMessage().contains(dir.resolve("gone") + " (GLIMPSE_MODEL) does not exist"),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("Point GLIMPSE_MODEL at a GLM-4V model directory"),
                missing.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var broken = assertThrows(ModelUnavailableException.class,
                () -> new ModelSource.Directory(empty, "%model").open());
        assertTrue(broken.getMessage().startsWith("Loading the model from " + empty + " (%model) failed: "),
                broken.getMessage());
        assertTrue(broken.getMessage().contains("Give %model a GLM-4V model directory"), broken.getMessage());
    }

    @Test
    void aFailedLoadIsReportedToEveryCellThatWaitsAndAnUnloadEmptiesTheSlot() {
        ModelSlot slot = new ModelSlot();
        slot.load(new ModelSource.Directory(dir.resolve("gone"), "GLIMPSE_MODEL"), ModelSourceTest::onAThread);
        var e = assertThrows(ModelUnavailableException.class, () -> slot.await(waiting()));
        assertTrue(e.getMessage().contains("gone (GLIMPSE_MODEL) does not exist"), e.getMessage());
        assertInstanceOf(ModelUnavailableException.class, e.getCause(), "the load's own failure is the cause");
        assertEquals("failed", ModelStatus.of(slot.state()).state());
        assertThrows(ModelUnavailableException.class, () -> slot.await(waiting()), "and again in the next cell");

        slot.load(new ModelSource.Directory(ExtensionFixtures.fixture("tiny-a/model"), "%model"),
                ModelSourceTest::onAThread);
        VisionLanguageModel model = slot.await(waiting());
        ModelStatus ready = ModelStatus.of(slot.state());
        assertTrue(ready.ready());
        assertEquals(630_720, ready.parameters());
        assertTrue(ready.readyAtEpochMillis() > 0);
        slot.unload(ModelSlotNotes.UNLOADED);
        var closed = assertThrows(IllegalStateException.class,
                () -> model.generate(dev.glimpse.engine.Prompt.of("hi"), dev.glimpse.engine.GenerationOptions.DEFAULT));
        assertTrue(closed.getMessage().contains("closed"), "unload frees the model: " + closed.getMessage());
        var empty = assertThrows(ModelUnavailableException.class, () -> slot.await(waiting()));
        assertTrue(empty.getMessage().contains("No model is loaded (unloaded with %model unload)"), empty.getMessage());
    }

    @Test
    void aHubIdIsAHubModelUnlessThatDirectoryExists() {
        ModelSource hub = ModelSource.parse("zai-org/GLM-4.6V-Flash@v1", "%model", dir, Map.of("HF_HUB_CACHE", "/c"));
        ModelSource.HubModel model = assertInstanceOf(ModelSource.HubModel.class, hub);
        assertEquals(dev.glimpse.engine.hub.HubModelId.parse("zai-org/GLM-4.6V-Flash@v1"), model.id());
        assertEquals("GLM-4.6V-Flash", model.name());
        assertEquals("zai-org/GLM-4.6V-Flash@v1 on the Hugging Face Hub (%model)", model.describe());
        assertFalse(ModelSource.parse("zai-org/GLM-4.6V-Flash", "GLIMPSE_MODEL", null,
                Map.of("HF_TOKEN", "hf_secret")).toString().contains("hf_secret"));
        assertInstanceOf(ModelSource.HubModel.class, ModelSource.configured(Map.of("GLIMPSE_MODEL", "org/name"),
                dir));
    }

    @Test
    void aHubModelIsFetchedWithItsProgressShownInTheWaitingCellThenLoaded() throws Exception {
        try (HubStandIn hub = HubStandIn.start().serve("acme/tiny", ExtensionFixtures.fixture("tiny-a/model"))) {
            hub.throttle(600_000); // 1.3 MB of shards: about two seconds, long enough for several waiting ticks
            Path cache = dir.resolve("hf");
            ModelSource source = new ModelSource.HubModel(dev.glimpse.engine.hub.HubModelId.parse("acme/tiny"),
                    "%model", new HubSettings(hub.endpoint(), null, cache, false));
            ModelSlot slot = new ModelSlot();
            slot.load(source, ModelSourceTest::onAThread);
            List<String> lines = new CopyOnWriteArrayList<>();
            VisionLanguageModel model = slot.await(new ModelSlot.Waiting() {
                @Override
                public void waiting(ModelSlot.Loading loading, ModelSlot.State now) {
                    lines.add(LoadProgress.line(loading, now));
                }

                @Override
                public boolean interrupted() {
                    return false;
                }
            });
            assertTrue(lines.stream().anyMatch(l -> l.matches("Fetching acme/tiny on the Hugging Face Hub \\(%model\\): "
                    + "downloaded [0-9.]+ kB of 1\\.3 MB \\([0-9]+%\\) · [0-9.]+ kB/s · about .* left · "
                    + "model-0000[1-4]-of-00004\\.safetensors… .*")), String.join("\n", lines));
            assertTrue(lines.get(lines.size() - 1).startsWith("Loaded tiny in "), lines.toString());
            assertEquals("tiny", model.info().name());
            assertTrue(model.info().source().startsWith(cache.resolve("models--acme--tiny/snapshots").toString()));
            slot.unload(ModelSlotNotes.UNLOADED);
        }
    }

    private static CompletableFuture<VisionLanguageModel> onAThread(String name,
                                                                   java.util.concurrent.Callable<VisionLanguageModel> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ModelSlot.Waiting waiting() {
        return new ModelSlot.Waiting() {
            @Override
            public void waiting(ModelSlot.Loading loading, ModelSlot.State now) {
            }

            @Override
            public boolean interrupted() {
                return false;
            }
        };
    }
}
