package dev.glimpse.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLocationTest {

    @TempDir
    Path home;

    @Test
    void withoutTheVariableTheDefaultModelOfTheInstallationIsUsed() throws IOException {
        Path model = Files.createDirectories(home.resolve("models/glimpse-tiny"));
        ModelLocation location = ModelLocation.resolve(null, home);
        assertEquals(ModelLocation.Origin.DEFAULT, location.origin());
        assertEquals(model, location.require("--model DIR"));
        assertEquals(model, ModelLocation.resolve("  ", home).require("--model DIR"), "blank counts as unset");
    }

    @Test
    void theVariableWinsOverTheDefault() throws IOException {
        Files.createDirectories(home.resolve("models/glimpse-tiny"));
        Path other = Files.createDirectories(home.resolve("other"));
        ModelLocation location = ModelLocation.resolve(other.toString(), home);
        assertEquals(ModelLocation.Origin.ENVIRONMENT, location.origin());
        assertEquals(other, location.require("--model DIR"));
    }

    @Test
    void aMissingDefaultModelSaysWhereItLookedAndHowToFixIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelLocation.resolve(null, home).require("--model DIR"));
        assertEquals("No model given, and the default model " + home.resolve("models/glimpse-tiny") + " is missing. "
                + "Give --model DIR or set GLIMPSE_MODEL to a GLM-4V model directory, or restore models/glimpse-tiny "
                + "in the Glimpse installation.", e.getMessage());
    }

    @Test
    void anUnknownInstallationSaysHowToNameAModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelLocation.resolve(null, null).require("%model DIR"));
        assertTrue(e.getMessage().contains("installation directory is unknown. Give %model DIR, set GLIMPSE_MODEL"),
                e.getMessage());
        assertTrue(e.getMessage().contains("-Dglimpse.home"), e.getMessage());
    }

    @Test
    void aVariablePointingNowhereOrAtAFileIsNamed() throws IOException {
        Path missing = home.resolve("gone");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelLocation.resolve(missing.toString(), home).require("--model DIR"));
        assertTrue(e.getMessage().startsWith("GLIMPSE_MODEL is set to " + missing + ", which does not exist. "),
                e.getMessage());
        Path file = Files.writeString(home.resolve("config.json"), "{}");
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelLocation.resolve(file.toString(), home).require("--model DIR"));
        assertTrue(e.getMessage().contains("which is a file, not a model directory"), e.getMessage());
    }

    @Test
    void theInstallationIsTheDirectoryAboveTargetWhenNoPropertyIsSet() {
        String saved = System.getProperty(ModelLocation.HOME_PROPERTY);
        try {
            System.clearProperty(ModelLocation.HOME_PROPERTY);
            // tests run from target/classes of this checkout, whose root holds pom.xml
            Path root = ModelLocation.installationHome().orElseThrow();
            assertTrue(Files.isRegularFile(root.resolve("pom.xml")), root.toString());
            System.setProperty(ModelLocation.HOME_PROPERTY, home.toString());
            assertEquals(home, ModelLocation.installationHome().orElseThrow());
            if (System.getenv(ModelLocation.ENVIRONMENT_VARIABLE) == null) {
                assertEquals(home.resolve("models/glimpse-tiny"), ModelLocation.configured().directory().orElseThrow());
            }
        } finally {
            if (saved == null) {
                System.clearProperty(ModelLocation.HOME_PROPERTY);
            } else {
                System.setProperty(ModelLocation.HOME_PROPERTY, saved);
            }
        }
    }

    @Test
    void anEndpointUrlInTheVariableIsAUrlNotADirectory() {
        ModelLocation location = ModelLocation.resolve(" http://localhost:8000/v1 ", home);
        assertEquals(ModelLocation.Origin.ENVIRONMENT, location.origin());
        assertEquals(java.util.Optional.of("http://localhost:8000/v1"), location.url());
        assertTrue(location.directory().isEmpty());
        assertEquals("GLIMPSE_MODEL=http://localhost:8000/v1", location.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> location.require("--model DIR"));
        assertTrue(e.getMessage().contains("endpoint http://localhost:8000/v1"), e.getMessage());
        assertTrue(ModelLocation.isUrl("HTTPS://open.bigmodel.cn/api/paas/v4/"));
        assertTrue(!ModelLocation.isUrl("models/http"));
        assertTrue(ModelLocation.resolve("models/x", home).url().isEmpty());
    }

    @Test
    void aHubIdIsAHubModelUnlessSuchADirectoryExists() throws IOException {
        ModelLocation hub = ModelLocation.resolve("zai-org/GLM-4.6V-Flash@v1", home);
        assertEquals(java.util.Optional.of(dev.glimpse.engine.hub.HubModelId.parse("zai-org/GLM-4.6V-Flash@v1")),
                hub.hubId());
        assertTrue(hub.directory().isEmpty());
        assertEquals("GLIMPSE_MODEL=zai-org/GLM-4.6V-Flash@v1", hub.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hub.require("--model DIR"));
        assertTrue(e.getMessage().contains("Run `glimpse pull zai-org/GLM-4.6V-Flash@v1`"), e.getMessage());

        Path dir = Files.createDirectories(home.resolve("org/name"));
        ModelLocation existing = ModelLocation.resolve(dir.toString(), home);
        assertTrue(existing.hubId().isEmpty(), "an absolute path is never a Hub id");
        assertTrue(ModelLocation.isHubId("org/name"));
        assertTrue(!ModelLocation.isHubId("src/main"), "an existing relative directory wins");
    }

    @Test
    void aSnapshotInTheHubCacheIsNamedAfterItsRepository() {
        assertEquals("GLM-4.6V-Flash", ModelLocation.nameOf(Path.of("/c/hub/models--zai-org--GLM-4.6V-Flash/snapshots/"
                + "0123456789abcdef0123456789abcdef01234567")));
        assertEquals("glimpse-tiny", ModelLocation.nameOf(Path.of("models/glimpse-tiny")));
    }
}
