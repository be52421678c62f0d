package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Renders a {@link Throwable} as its stack trace ({@code text/plain}) and as HTML that puts the exception type and
 * message first, lists the causes, and folds the stack trace away.
 *
 * <p>Colours come from JupyterLab's theme variables with a fallback, so the error stays readable in dark themes.
 */
public final class ThrowableRenderer {
    private static final String ERROR_COLOR = "var(--jp-error-color1, #c62828)";

    private ThrowableRenderer() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Throwable.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register(ThrowableRenderer::render);
    }

    static void render(Throwable error, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(error));
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> stackTrace(error));
    }

    public static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    public static String html(Throwable error) {
        StringBuilder html = new StringBuilder("<div class=\"glimpse-error\">\n");
        html.append("<div><strong style=\"color:").append(ERROR_COLOR).append("\">")
                .append(Html.escape(error.getClass().getName())).append("</strong>");
        appendMessage(html, error);
        html.append("</div>\n");
        Throwable cause = error.getCause();
        while (cause != null && cause != cause.getCause()) {
            html.append("<div>caused by <strong>").append(Html.escape(cause.getClass().getName())).append("</strong>");
            appendMessage(html, cause);
            html.append("</div>\n");
            cause = cause.getCause();
        }
        html.append("<details><summary>Stack trace</summary><pre>").append(Html.escape(stackTrace(error)))
                .append("</pre></details>\n</div>");
        return html.toString();
    }

    private static void appendMessage(StringBuilder html, Throwable error) {
        String message = error.getMessage();
        if (message != null && !message.isEmpty()) {
            html.append(": <em>").append(Html.escape(message)).append("</em>");
        }
    }
}
