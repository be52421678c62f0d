package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Objects;
import java.util.Set;

/**
 * LaTeX to show as {@code text/latex}. Notebooks typeset math mode: write {@code $x^2$} or {@code $$\sum_i x_i$$},
 * or use {@link #math(String)} which adds the {@code $$} delimiters.
 *
 * @param source the LaTeX source, including its math delimiters
 */
public record Latex(String source) implements DisplayDataRenderable {
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.TEXT_LATEX, MIMEType.TEXT_PLAIN);

    public Latex {
        Objects.requireNonNull(source, "latex source");
    }

    /** Wraps LaTeX so that the notebook typesets it; {@code import static dev.glimpse.display.Latex.latex;}. */
    public static Latex latex(String source) {
        return new Latex(source);
    }

    /** Display math: {@code math("e^{i\\pi} + 1 = 0")} shows as {@code $$e^{i\pi} + 1 = 0$$}. */
    public static Latex math(String formula) {
        return new Latex("$$" + formula + "$$");
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_LATEX, () -> source);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> source);
    }
}
