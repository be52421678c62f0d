package dev.glimpse.kernel.spi;

import dev.glimpse.kernel.magic.MagicRegistry;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** What the kernel offers to a {@link KernelExtension} while it installs. */
public interface ExtensionContext {

    /** The renderer that turns cell results and {@code display(..)} arguments into MIME bundles. */
    Renderer renderer();

    /** The magics registry, to add {@code %name} line and {@code %%name} cell magics. */
    MagicRegistry magics();

    /**
     * Adds import declarations evaluated before the first cell, e.g.
     * {@code "import static dev.glimpse.extension.Vision.*;"}.
     */
    void addImports(String... imports);

    /** Adds Java code evaluated after the imports and before the first cell. */
    void addStartupCode(String code);

    /**
     * Runs work on a background daemon thread named after it, so the kernel keeps answering. Failures are logged;
     * callers that need the result keep the future.
     */
    <T> CompletableFuture<T> background(String name, Callable<T> work);

    /**
     * Whether the user has asked to interrupt the running cell. Long loops in extension code (a model's decoding
     * loop) check this between steps and stop early.
     */
    boolean interruptRequested();

    /**
     * Shows a value below the running cell, rendered with {@link #renderer()} (a bundle as it is). Works for as long
     * as the kernel runs, not only while the extension installs.
     *
     * @return the display id, to replace this output later with {@link #updateDisplay}
     */
    String display(Object value);

    /** Replaces the output shown under a display id that {@link #display} returned, e.g. a streaming answer. */
    void updateDisplay(String displayId, Object value);
}
