package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * HTML to show as {@code text/html}, with a tag-stripped {@code text/plain} fallback for consoles.
 *
 * <pre>{@code display(html("<b>bold</b> move"));}</pre>
 *
 * @param source the HTML markup, shown as given (not escaped)
 */
public record Html(String source) implements DisplayDataRenderable {
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern BLANK_RUN = Pattern.compile("[ \\t]+");

    public Html {
        Objects.requireNonNull(source, "html source");
    }

    /** Wraps HTML markup so that the notebook renders it; {@code import static dev.glimpse.display.Html.html;}. */
    public static Html html(String source) {
        return new Html(source);
    }

    /** Escapes {@code & < > " '} so that {@code text} shows literally inside HTML, in element text or attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The text a console shows: markup removed, the common entities decoded. Lossy by design. */
    public String plainText() {
        String text = TAG.matcher(source).replaceAll("");
        text = BLANK_RUN.matcher(text).replaceAll(" ").strip();
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> source);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::plainText);
    }
}
