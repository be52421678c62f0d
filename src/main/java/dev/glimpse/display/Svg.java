package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Objects;
import java.util.Set;

/**
 * An SVG document to show as {@code image/svg+xml}; consoles get a one-line summary instead of the markup.
 *
 * @param source the SVG markup, starting with {@code <svg} (an XML prolog before it is fine)
 */
public record Svg(String source) implements DisplayDataRenderable {
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.IMAGE_SVG, MIMEType.TEXT_PLAIN);

    public Svg {
        Objects.requireNonNull(source, "svg source");
        if (!source.contains("<svg")) {
            throw new IllegalArgumentException("Not an SVG document: no <svg element in \""
                    + abbreviate(source) + "\". Pass the markup of an <svg>…</svg> element.");
        }
    }

    /** Wraps SVG markup so that the notebook draws it; {@code import static dev.glimpse.display.Svg.svg;}. */
    public static Svg svg(String source) {
        return new Svg(source);
    }

    private static String abbreviate(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= 40 ? line : line.substring(0, 40) + "…";
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.IMAGE_SVG, () -> source);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "SVG image (" + source.length() + " characters)");
    }
}
