package dev.glimpse.extension;

import org.commonmark.Extension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.List;

/**
 * Markdown to HTML for answers shown in the {@code text/html} layout (frontends prefer it to {@code text/markdown}).
 * HTML the model writes is escaped and link targets are sanitised: an answer is data, not markup to trust.
 */
final class MarkdownHtml {

    private static final List<Extension> NONE = List.of();
    private static final Parser PARSER = Parser.builder().extensions(NONE).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(NONE).escapeHtml(true)
            .sanitizeUrls(true).build();

    private MarkdownHtml() {
    }

    static String render(String markdown) {
        return RENDERER.render(PARSER.parse(markdown)).strip();
    }
}
