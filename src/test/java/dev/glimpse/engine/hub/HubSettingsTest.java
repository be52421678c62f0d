package dev.glimpse.engine.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment variables are huggingface_hub's, with its precedence (constants.py, utils/_auth.py). */
class HubSettingsTest {

    @TempDir
    Path home;

    @Test
    void defaultsAreTheHubAndTheUsersCache() {
        HubSettings s = HubSettings.from(Map.of(), home);
        assertEquals(URI.create("https://huggingface.co"), s.endpoint());
        assertEquals(home.resolve(".cache/huggingface/hub"), s.cache());
        assertNull(s.token());
        assertFalse(s.offline());
    }

    @Test
    void theCacheFollowsHfHubCacheThenHfHomeThenXdg() {
        assertEquals(Path.of("/x/hub"), HubSettings.from(Map.of("XDG_CACHE_HOME", "/x"), home).cache()
                .getParent().getParent().resolve("hub"));
        assertEquals(Path.of("/x/huggingface/hub"), HubSettings.from(Map.of("XDG_CACHE_HOME", "/x"), home).cache());
        assertEquals(Path.of("/h/hub"), HubSettings.from(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x"), home).cache());
        assertEquals(Path.of("/c"), HubSettings.from(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"), home).cache());
        assertEquals(Path.of("/old"), HubSettings.from(Map.of("HUGGINGFACE_HUB_CACHE", "/old"), home).cache());
    }

    @Test
    void theTokenComesFromHfTokenElseTheLoginFile() throws IOException {
        Path hfHome = Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(hfHome.resolve("token"), "hf_from_file\n");
        assertEquals("hf_from_file", HubSettings.from(Map.of(), home).token());
        assertEquals("hf_env", HubSettings.from(Map.of("HF_TOKEN", " hf_env "), home).token());
        assertEquals("hf_old", HubSettings.from(Map.of("HUGGING_FACE_HUB_TOKEN", "hf_old"), home).token());
        Path other = Files.writeString(home.resolve("t"), "hf_path");
        assertEquals("hf_path", HubSettings.from(Map.of("HF_TOKEN_PATH", other.toString()), home).token());
        assertFalse(HubSettings.from(Map.of("HF_TOKEN", "hf_secret"), home).toString().contains("hf_secret"));
    }

    @Test
    void offlineAndTheEndpointAreRead() {
        assertTrue(HubSettings.from(Map.of("HF_HUB_OFFLINE", "1"), home).offline());
        assertTrue(HubSettings.from(Map.of("HF_HUB_OFFLINE", "TRUE"), home).offline());
        assertTrue(HubSettings.from(Map.of("TRANSFORMERS_OFFLINE", "yes"), home).offline());
        assertFalse(HubSettings.from(Map.of("HF_HUB_OFFLINE", "0"), home).offline());
        assertEquals(URI.create("https://hf-mirror.com"), HubSettings.from(Map.of("HF_ENDPOINT", "https://hf-mirror.com/"),
                home).endpoint());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.from(Map.of("HF_ENDPOINT", "hf-mirror.com"), home));
        assertTrue(e.getMessage().startsWith("HF_ENDPOINT=hf-mirror.com is not a Hub URL"), e.getMessage());
    }
}
