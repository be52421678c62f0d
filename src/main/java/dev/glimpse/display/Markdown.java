package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Objects;
import java.util.Set;

/**
 * Markdown to show as {@code text/markdown}; consoles get the Markdown source, which reads well as plain text.
 *
 * @param source the Markdown text
 */
public record Markdown(String source) implements DisplayDataRenderable {
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_MARKDOWN, MIMEType.TEXT_PLAIN);

    public Markdown {
        Objects.requireNonNull(source, "markdown source");
    }

    /** Wraps Markdown so that the notebook renders it; {@code import static dev.glimpse.display.Markdown.markdown;}. */
    public static Markdown markdown(String source) {
        return new Markdown(source);
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_MARKDOWN, () -> source);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> source);
    }
}
