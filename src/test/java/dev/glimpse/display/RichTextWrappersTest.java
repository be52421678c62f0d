package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.glimpse.display.Html.html;
import static dev.glimpse.display.Json.json;
import static dev.glimpse.display.Latex.latex;
import static dev.glimpse.display.Markdown.markdown;
import static dev.glimpse.display.Svg.svg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RichTextWrappersTest {
    private final Renderer renderer = new Renderer();

    RichTextWrappersTest() {
        DisplayRenderers.registerDefaults(renderer);
    }

    @Test
    void htmlKeepsMarkupAndGivesConsolesTheText() {
        DisplayData data = renderer.render(html("<p>Tom &amp; <b>Jerry</b></p>"));
        assertEquals("<p>Tom &amp; <b>Jerry</b></p>", data.getData(MIMEType.TEXT_HTML));
        assertEquals("Tom & Jerry", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void escapeNeutralisesMarkupCharacters() {
        assertEquals("&lt;b class=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/b&gt;", Html.escape("<b class=\"x\">R&D's</b>"));
    }

    @Test
    void markdownAndLatexCarryTheirSourceInBothTypes() {
        DisplayData md = renderer.render(markdown("# Title\n*x*"));
        assertEquals("# Title\n*x*", md.getData(MIMEType.TEXT_MARKDOWN));
        assertEquals("# Title\n*x*", md.getData(MIMEType.TEXT_PLAIN));

        DisplayData tex = renderer.render(latex("$x^2$"));
        assertEquals("$x^2$", tex.getData(MIMEType.TEXT_LATEX));
        assertEquals("$x^2$", tex.getData(MIMEType.TEXT_PLAIN));
        assertEquals("$$a+b$$", renderer.render(Latex.math("a+b")).getData(MIMEType.TEXT_LATEX));
    }

    @Test
    void svgRendersAsSvgWithASummaryForConsoles() {
        String source = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>";
        DisplayData data = renderer.render(svg(source));
        assertEquals(source, data.getData(MIMEType.IMAGE_SVG));
        assertEquals("SVG image (" + source.length() + " characters)", data.getData(MIMEType.TEXT_PLAIN));
        assertNull(data.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void svgRejectsMarkupThatIsNotSvg() {
        var e = assertThrows(IllegalArgumentException.class, () -> svg("<div>nope</div>"));
        assertTrue(e.getMessage().contains("no <svg element"), e.getMessage());
    }

    @Test
    void jsonTextIsSentParsedNotAsAString() {
        DisplayData data = renderer.render(json("{\"name\": \"cat\", \"boxes\": [1, 2.5], \"ok\": true, \"none\": null}"));
        Map<?, ?> value = assertInstanceOf(Map.class, data.getData(MIMEType.APPLICATION_JSON));
        assertEquals("cat", value.get("name"));
        assertEquals(List.of(1, 2.5), value.get("boxes"));
        assertEquals(true, value.get("ok"));
        assertTrue(value.containsKey("none"));
        String plain = (String) data.getData(MIMEType.TEXT_PLAIN);
        assertTrue(plain.contains("\"name\" : \"cat\""), plain);
    }

    record Detection(String label, double score) {
    }

    @Test
    void jsonOfAnObjectConvertsItToATree() {
        Json json = json(List.of(new Detection("dog", 0.9)));
        assertEquals(List.of(Map.of("label", "dog", "score", 0.9)), json.value());
    }

    @Test
    void invalidJsonNamesLineAndColumn() {
        var e = assertThrows(IllegalArgumentException.class, () -> json("{\n  \"a\": tru }"));
        assertTrue(e.getMessage().startsWith("Not valid JSON at line 2, column"), e.getMessage());
    }

    @Test
    void wrappersRenderWithoutAnyRegistration() {
        DisplayData data = new Renderer().render(html("<i>x</i>"));
        assertEquals("<i>x</i>", data.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void stringsCanBeDisplayedAsHtmlOnRequest() {
        DisplayData data = renderer.renderAs("<b>x</b>", "text/html");
        assertEquals("<b>x</b>", data.getData(MIMEType.TEXT_HTML));
        assertEquals("<b>x</b>", data.getData(MIMEType.TEXT_PLAIN));
    }
}
