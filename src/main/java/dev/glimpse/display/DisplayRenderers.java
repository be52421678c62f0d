package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Text;

/**
 * Installs Glimpse's renderers into a jjava {@link Renderer}. The wrapper records ({@link Html}, {@link Markdown},
 * {@link Latex}, {@link Svg}, {@link Json}) render themselves and need no registration.
 */
public final class DisplayRenderers {
    private DisplayRenderers() {
    }

    /**
     * Registers: {@code CharSequence} (jjava's text renderer, so {@code display("<b>x</b>", "text/html")} works),
     * images, image files ({@code Path}/{@code File}), Tablesaw tables and throwables. Call once per renderer:
     * jjava's renderer appends on a second registration and has no way to remove one.
     */
    public static void registerDefaults(Renderer renderer) {
        Text.registerAll(renderer);
        ImageRenderer.register(renderer);
        ImageFileRenderer.register(renderer);
        TableRenderer.register(renderer);
        ThrowableRenderer.register(renderer);
    }
}
