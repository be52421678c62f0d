package dev.glimpse.cli;

import dev.glimpse.engine.ModelLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glimpse web} in this JVM: the page's address on stdout, the browser opened unless --no-browser. */
class WebCommandTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<URI> opened = new ArrayList<>();

    private static String fixtureModel() {
        try {
            return Path.of(WebCommandTest.class.getResource("/glm4v/tiny-a/model").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebCommand command(String noDisplayReason) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new WebCommand(o, e, new CliEnvironment(ModelLocation.resolve(null, home), false, null), page -> {
            opened.add(page);
            return noDisplayReason;
        });
    }

    private ServeCommand.Serving start(WebCommand web, String... args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        return web.start(new ServeCommand(o, o, new CliEnvironment(ModelLocation.resolve(null, home), false, null)),
                List.of(args));
    }

    @Test
    void thePageIsServedAndOpened() throws Exception {
        try (ServeCommand.Serving serving = start(command(null), "--model", fixtureModel(), "--port", "0")) {
            URI page = serving.server().pageUrl();
            assertTrue(out.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.equals(page.toString())),
                    out.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(page), opened);
            HttpResponse<String> html = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, html.statusCode());
            assertTrue(html.body().contains("<title>Glimpse</title>"));
        }
    }

    @Test
    void noBrowserOpensNothingAndNoDisplayIsSaid() {
        try (ServeCommand.Serving serving = start(command(null), "--no-browser", "--model", fixtureModel(),
                "--port", "0")) {
            assertEquals(List.of(), opened);
        }
        try (ServeCommand.Serving serving = start(command("no display to open a browser on (DISPLAY is not set)"),
                "--model", fixtureModel(), "--port", "0")) {
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("glimpse web: no display to open a browser on "
                    + "(DISPLAY is not set); open " + serving.server().pageUrl() + " in a browser yourself"));
        }
    }

    @Test
    void helpAndUserErrors() {
        WebCommand web = command(null);
        assertEquals(Main.OK, web.run(List.of("--help")));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: glimpse web"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("default 7860"));
        assertEquals(Main.USAGE, web.run(List.of("--model", fixtureModel(), "--port", "70000")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("glimpse web: --port must be at most 65535"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Run 'glimpse web --help' for the options."));
        assertEquals(Main.USAGE, web.run(List.of("--model", "http://gpu:8000/v1")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("glimpse web needs a local model directory"));
        assertEquals(List.of(), opened);
    }
}
