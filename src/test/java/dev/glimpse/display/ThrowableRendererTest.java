package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrowableRendererTest {
    private final Renderer renderer = new Renderer();

    ThrowableRendererTest() {
        DisplayRenderers.registerDefaults(renderer);
    }

    private static Exception failure() {
        var cause = new UncheckedIOException("disk <full>", new java.io.IOException("quota"));
        return new IllegalStateException("could not save <answers.csv>", cause);
    }

    @Test
    void plainTextIsTheStackTrace() {
        String plain = (String) renderer.render(failure()).getData(MIMEType.TEXT_PLAIN);
        assertTrue(plain.startsWith("java.lang.IllegalStateException: could not save <answers.csv>"), plain);
        assertTrue(plain.contains("\tat dev.glimpse.display.ThrowableRendererTest.failure"), plain);
        assertTrue(plain.contains("Caused by: java.io.UncheckedIOException: disk <full>"), plain);
    }

    @Test
    void htmlPutsTypeAndMessageFirstAndEscapesThem() {
        DisplayData data = renderer.render(failure());
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains(">java.lang.IllegalStateException</strong>: <em>could not save &lt;answers.csv&gt;</em>"),
                html);
        assertTrue(html.contains("caused by <strong>java.io.UncheckedIOException</strong>: <em>disk &lt;full&gt;</em>"),
                html);
        assertTrue(html.contains("caused by <strong>java.io.IOException</strong>: <em>quota</em>"), html);
        assertTrue(html.contains("<details><summary>Stack trace</summary><pre>java.lang.IllegalStateException"), html);
        assertTrue(!html.contains("<answers.csv>"), html);
    }

    @Test
    void exceptionWithoutMessageShowsItsType() {
        String html = (String) renderer.render(new NullPointerException()).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains(">java.lang.NullPointerException</strong></div>"), html);
    }
}
