package dev.glimpse.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * The notebook API, imported statically into every cell. Compatible with IJava's: {@code display}, {@code render},
 * {@code updateDisplay} and {@code getKernelInstance} behave as there.
 *
 * <pre>{@code
 * String id = display("Starting…");
 * updateDisplay(id, "Done");
 * display(ImageIO.read(new File("cat.png")));
 * }</pre>
 */
public final class Notebook {
    /** The summary {@code %help} shows. */
    static final String SUMMARY = """
            display(value)                  show any value below the cell now; returns a display id
            display(value, "text/html")     show it as the given MIME types only
            updateDisplay(id, value)        replace what an earlier display(...) showed (progress, streaming)
            render(value, mime...)          the MIME bundle of a value, without showing it
            clearOutput()                   clear this cell's output
            readLine(prompt), readPassword(prompt), System.in
                                            ask the user for input below the cell
            html("<b>…</b>"), markdown("# …"), latex("$x^2$"), math("x^2"), svg("<svg…>"), json(object or text)
                                            wrap text so that it shows as that type
            getKernelInstance()             the kernel, e.g. getKernelInstance().getRenderer() (IJava-compatible)
            BufferedImage, Path/File of a .png/.jpg/.gif/.svg, Tablesaw Table, Throwable
                                            show as images, an HTML table and a formatted error""";

    private Notebook() {
    }

    /**
     * Shows an object in the cell's output, rendered as rich as possible (an image as PNG, a table as HTML…).
     *
     * @param value     what to show
     * @param mimeTypes optionally, the MIME types to render it as, e.g. {@code "text/html"}
     * @return the display id, to update this output later with {@link #updateDisplay}
     */
    public static String display(Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        if (data.getDisplayId() == null) {
            data.setDisplayId(UUID.randomUUID().toString());
        }
        GlimpseKernel.instance().display(data);
        return data.getDisplayId();
    }

    /**
     * Replaces an earlier output, e.g. to show progress or a streaming answer.
     *
     * @param displayId the id {@link #display} returned
     * @param value     the new content
     * @param mimeTypes optionally, the MIME types to render it as
     */
    public static void updateDisplay(String displayId, Object value, String... mimeTypes) {
        DisplayData data = new DisplayData(render(value, mimeTypes));
        data.setDisplayId(displayId);
        GlimpseKernel.instance().updateDisplay(data);
    }

    /**
     * Renders an object into a MIME bundle without showing it. A cell whose last expression is a bundle shows it.
     *
     * @param value     what to render
     * @param mimeTypes optionally, the MIME types to render it as; none means every type the renderer knows
     */
    public static DisplayData render(Object value, String... mimeTypes) {
        var renderer = GlimpseKernel.instance().getRenderer();
        return mimeTypes.length == 0 ? renderer.render(value) : renderer.renderAs(value, mimeTypes);
    }

    /** Clears the cell's output now. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears the cell's output.
     *
     * @param wait if true, the frontend clears only when the next output arrives (no flicker in animations)
     */
    public static void clearOutput(boolean wait) {
        GlimpseKernel.instance().clearOutput(wait);
    }

    /**
     * Asks the user for a line of text in an input box below the cell.
     *
     * @param prompt text shown before the box
     */
    public static String readLine(String prompt) {
        try {
            return GlimpseKernel.instance().readLine(prompt, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks the user for a password: what is typed is hidden and not kept in the notebook.
     *
     * @param prompt text shown before the box
     */
    public static String readPassword(String prompt) {
        try {
            return GlimpseKernel.instance().readLine(prompt, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Evaluates Java code as a cell would and returns the value of its last expression, or null. */
    public static Object eval(String code) {
        return GlimpseKernel.instance().evalRaw(code);
    }

    /** The running kernel, as IJava's {@code getKernelInstance()}: e.g. {@code getKernelInstance().getRenderer()}. */
    public static GlimpseKernel getKernelInstance() {
        return GlimpseKernel.instance();
    }
}
