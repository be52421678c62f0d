package dev.glimpse.kernel.magic;

import dev.glimpse.display.DisplayRenderers;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real {@link MagicContext} for tests: a JShell running in this JVM, a renderer with Glimpse's defaults, captured
 * stdout and displays. Values come back as JShell's text form, which is what a console kernel would show.
 */
final class JShellMagicContext implements MagicContext, AutoCloseable {
    /** Thrown when JShell rejects a snippet: the compiler's messages. */
    static final class CompileError extends Exception {
        CompileError(String message) {
            super(message);
        }
    }

    private final JShell shell = JShell.builder().executionEngine("local").build();
    private final Renderer renderer = new Renderer();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    private final Set<Path> classpath = new LinkedHashSet<>();
    private final List<DisplayData> displays = new ArrayList<>();
    private final Path workingDirectory;

    JShellMagicContext(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        DisplayRenderers.registerDefaults(renderer);
    }

    @Override
    public Object eval(String code) throws Exception {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        Object value = null;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String snippet = info.completeness().isComplete() ? info.source() : remaining;
            remaining = info.completeness().isComplete() ? info.remaining() : "";
            value = evalSnippet(snippet);
        }
        return value;
    }

    private Object evalSnippet(String source) throws Exception {
        Object value = null;
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            if (event.status() == Snippet.Status.REJECTED) {
                throw new CompileError(shell.diagnostics(event.snippet()).map(d -> d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n")));
            }
            if (event.exception() != null) {
                throw event.exception();
            }
            value = event.snippet().kind() == Snippet.Kind.EXPRESSION
                    || event.snippet().kind() == Snippet.Kind.VAR ? event.value() : null;
        }
        return value;
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        for (Path entry : entries) {
            if (classpath.add(entry)) {
                shell.addToClasspath(entry.toString());
            }
        }
    }

    @Override
    public void display(Object value) {
        displays.add(value instanceof DisplayData data ? data : renderer.render(value));
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public Path workingDirectory() {
        return workingDirectory;
    }

    @Override
    public Renderer renderer() {
        return renderer;
    }

    String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    List<DisplayData> displays() {
        return displays;
    }

    Set<Path> classpath() {
        return classpath;
    }

    @Override
    public void close() {
        shell.close();
    }
}
