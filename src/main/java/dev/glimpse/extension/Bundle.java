package dev.glimpse.extension;

import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A MIME bundle made ready by one of the views: MIME type → content (text, or base64 for images). It renders
 * itself, so the notebook API's {@code display}/{@code updateDisplay} show it as it is, and the renderers this
 * extension registers copy it into the kernel's output.
 */
final class Bundle implements DisplayDataRenderable {

    static final String PNG = "image/png";
    static final String HTML = "text/html";
    static final String MARKDOWN = "text/markdown";
    static final String PLAIN = "text/plain";

    private final Map<String, String> data = new LinkedHashMap<>();

    Bundle put(String mime, String content) {
        if (content != null) {
            data.put(mime, content);
        }
        return this;
    }

    /** The content of a MIME type, or null. */
    String get(String mime) {
        return data.get(mime);
    }

    /** MIME type → content, in the order they were put. */
    Map<String, String> data() {
        return Collections.unmodifiableMap(data);
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return types();
    }

    @Override
    public Set<MIMEType> getPreferredRenderTypes() {
        return types();
    }

    private Set<MIMEType> types() {
        Set<MIMEType> types = new LinkedHashSet<>();
        data.keySet().forEach(m -> types.add(MIMEType.parse(m)));
        return types;
    }

    @Override
    public void render(RenderContext context) {
        data.forEach((mime, content) -> context.renderIfRequested(MIMEType.parse(mime), () -> content));
    }
}
