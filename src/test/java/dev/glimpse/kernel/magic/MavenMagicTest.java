package dev.glimpse.kernel.magic;

import org.eclipse.aether.repository.RemoteRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resolves artifacts the build itself put into the local repository, in offline mode, so the test needs no network.
 */
class MavenMagicTest {
    @TempDir
    Path dir;

    private final MavenSettings offline = MavenSettings.load().withOffline(true);
    private final MavenResolver resolver = new MavenResolver(offline);

    @AfterEach
    void close() {
        resolver.close();
    }

    private static List<String> fileNames(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void resolvesFromTheLocalRepositoryAndAddsTheJars() throws Exception {
        MagicRegistry registry = new MagicRegistry();
        BuiltinMagics.install(registry, resolver, BuiltinMagics.NOTEBOOK_API);
        try (JShellMagicContext context = new JShellMagicContext(dir)) {
            new CellRunner(registry).run("%maven org.opentest4j:opentest4j:1.3.0", context);
            List<Path> added = List.copyOf(context.classpath());
            assertEquals(List.of("opentest4j-1.3.0.jar"), fileNames(added));
            assertTrue(Files.isRegularFile(added.get(0)), added.get(0) + " exists");
            assertTrue(added.get(0).startsWith(offline.localRepository()), added.get(0).toString());
            assertTrue(context.stdout().contains("Added 1 jar for org.opentest4j:opentest4j:1.3.0:\n"
                    + "  opentest4j-1.3.0.jar"), context.stdout());
        }
    }

    @Test
    void resolvesTransitiveRuntimeDependencies() {
        List<Path> jars = resolver.resolve(List.of("org.junit.jupiter:junit-jupiter-api:5.14.1"), System.out);
        List<String> names = fileNames(jars);
        assertEquals("junit-jupiter-api-5.14.1.jar", names.get(0));
        assertTrue(names.contains("opentest4j-1.3.0.jar"), names.toString());
        assertTrue(names.contains("junit-platform-commons-1.14.1.jar"), names.toString());
        assertTrue(names.contains("apiguardian-api-1.1.2.jar"), names.toString());
        assertEquals(names.size(), names.stream().distinct().count(), "no duplicates");
        jars.forEach(jar -> assertTrue(Files.isRegularFile(jar), jar + " exists"));
    }

    @Test
    void missingArtifactNamesItAndTheLocalRepository() {
        MagicException e = assertThrows(MagicException.class,
                () -> resolver.resolve(List.of("dev.glimpse.absent:nothing-here:0.0.1"), System.out));
        assertEquals("Cannot resolve dev.glimpse.absent:nothing-here:0.0.1: Maven is offline and the local repository "
                + offline.localRepository() + " lacks dev.glimpse.absent:nothing-here:jar:0.0.1. Go online, or fetch it"
                + " once with: mvn dependency:get -Dartifact=dev.glimpse.absent:nothing-here:0.0.1", e.getMessage());
    }

    /** A mirror on a closed local port stands for a network that is down. */
    private static MavenSettings unreachableMirror(Path localRepository) {
        return new MavenSettings(localRepository, false,
                List.of(new MavenSettings.Mirror("down", "http://127.0.0.1:1/maven2", "*")), null);
    }

    @Test
    void networkDownStillResolvesWhatIsLocal() {
        try (MavenResolver down = new MavenResolver(unreachableMirror(offline.localRepository()))) {
            List<Path> jars = down.resolve(List.of("org.opentest4j:opentest4j:1.3.0"), System.out);
            assertEquals(List.of("opentest4j-1.3.0.jar"), fileNames(jars));
        }
    }

    @Test
    void networkDownNamesTheMissingArtifact() {
        try (MavenResolver down = new MavenResolver(unreachableMirror(dir.resolve("empty-repo")))) {
            MagicException e = assertThrows(MagicException.class,
                    () -> down.resolve(List.of("org.opentest4j:opentest4j:1.3.0"), System.out));
            assertTrue(e.getMessage().startsWith("Cannot resolve org.opentest4j:opentest4j:1.3.0: org.opentest4j:"
                    + "opentest4j:"), e.getMessage());
            assertTrue(e.getMessage().contains("is not in the local repository " + dir.resolve("empty-repo")
                    + " and the remote repository cannot be reached ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("Connect to the network and run %maven again."), e.getMessage());
        }
    }

    @Test
    void malformedCoordinateSaysWhatToWrite() {
        MagicException e = assertThrows(MagicException.class, () -> resolver.resolve(List.of("commons-csv"), System.out));
        assertEquals("Not a Maven coordinate: 'commons-csv'. Write group:artifact:version, for example"
                + " org.apache.commons:commons-csv:1.11.0.", e.getMessage());
    }

    @Test
    void magicWithoutArgumentsExplainsItself() {
        MagicRegistry registry = new MagicRegistry();
        BuiltinMagics.install(registry, resolver, BuiltinMagics.NOTEBOOK_API);
        try (JShellMagicContext context = new JShellMagicContext(dir)) {
            MagicException e = assertThrows(MagicException.class, () -> registry.lineMagic("maven").run("", context));
            assertTrue(e.getMessage().startsWith("No artifact given"), e.getMessage());
        }
    }

    @Test
    void settingsFileGivesLocalRepositoryOfflineAndMirrors() throws Exception {
        Path settingsFile = Files.writeString(dir.resolve("settings.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <localRepository>${user.home}/custom-repo</localRepository>
                  <offline>true</offline>
                  <mirrors>
                    <mirror>
                      <id>corp</id>
                      <url>https://maven.example.com/all</url>
                      <mirrorOf>*</mirrorOf>
                    </mirror>
                  </mirrors>
                  <profiles><profile><id>p</id><offline>false</offline></profile></profiles>
                </settings>
                """);
        MavenSettings settings = MavenSettings.read(settingsFile);
        assertEquals(Path.of(System.getProperty("user.home"), "custom-repo"), settings.localRepository());
        assertTrue(settings.offline());
        assertEquals(List.of(new MavenSettings.Mirror("corp", "https://maven.example.com/all", "*")),
                settings.mirrors());

        try (MavenResolver mirrored = new MavenResolver(settings.withLocalRepository(dir.resolve("repo")))) {
            RemoteRepository repository = mirrored.repositories().get(0);
            assertEquals("corp", repository.getId());
            assertEquals("https://maven.example.com/all", repository.getUrl());
        }
        try (MavenResolver plain = new MavenResolver(MavenSettings.defaults().withLocalRepository(dir.resolve("r")))) {
            assertEquals(MavenResolver.CENTRAL_URL, plain.repositories().get(0).getUrl());
        }
    }

    @Test
    void offlineSettingsAreNamedInTheError() throws Exception {
        Path settingsFile = Files.writeString(dir.resolve("settings.xml"),
                "<settings><offline>true</offline><localRepository>" + dir.resolve("empty-repo")
                        + "</localRepository></settings>");
        try (MavenResolver fromFile = new MavenResolver(MavenSettings.read(settingsFile))) {
            MagicException e = assertThrows(MagicException.class,
                    () -> fromFile.resolve(List.of("org.opentest4j:opentest4j:1.3.0"), System.out));
            assertTrue(e.getMessage().contains("Maven is offline (<offline>true</offline> in " + settingsFile + ")"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("local repository " + dir.resolve("empty-repo")), e.getMessage());
        }
    }

    @Test
    void brokenSettingsFileIsNamed() throws Exception {
        Path settingsFile = Files.writeString(dir.resolve("settings.xml"), "<settings><offline>");
        MagicException e = assertThrows(MagicException.class, () -> MavenSettings.read(settingsFile));
        assertTrue(e.getMessage().startsWith("Cannot read the Maven settings " + settingsFile), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
