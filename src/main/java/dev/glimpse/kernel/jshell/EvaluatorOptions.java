package dev.glimpse.kernel.jshell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to set up a {@link JShellEvaluator}. Start from {@link #defaults()} and add to it:
 * <pre>{@code
 * EvaluatorOptions options = EvaluatorOptions.defaults()
 *         .withImports("static dev.glimpse.extension.Vision.*")
 *         .withClasspath(Path.of("lib/extra.jar"));
 * }</pre>
 *
 * @param classpath       entries added to the kernel's own classpath ({@code java.class.path}, which cells always
 *                        see), for the compiler and for loading; never DJL or other jars with native libraries, which
 *                        belong on the kernel classpath
 * @param imports         imported names, evaluated at start-up as {@code import <name>;}: {@code "java.util.*"},
 *                        {@code "static java.lang.Math.*"}
 * @param startupSnippets code evaluated after the imports, before the first cell
 * @param compilerOptions extra javac options for JShell, such as {@code "--enable-preview"}
 * @param sourcePath      directories and {@code -sources.jar} files whose Javadoc inspection shows (the JDK's
 *                        {@code lib/src.zip} is found without this); needs
 *                        {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}, without which it is ignored
 * @param cellStackSize   stack size in bytes of the thread that runs cell code (deep recursion needs a deep stack)
 */
public record EvaluatorOptions(List<Path> classpath, List<String> imports, List<String> startupSnippets,
                               List<String> compilerOptions, List<Path> sourcePath, long cellStackSize) {

    /** The imports every cell starts with, as in IJava. */
    public static final List<String> DEFAULT_IMPORTS = List.of(
            "java.util.*", "java.io.*", "java.math.*", "java.net.*", "java.util.concurrent.*",
            "java.util.function.*", "java.util.stream.*", "java.nio.file.*");

    /** 32 MiB: recursion a few hundred thousand calls deep works; the memory is only reserved, not committed. */
    public static final long DEFAULT_CELL_STACK_SIZE = 32L << 20;

    public EvaluatorOptions {
        classpath = List.copyOf(classpath);
        imports = imports.stream().map(EvaluatorOptions::importedName).toList();
        startupSnippets = List.copyOf(startupSnippets);
        compilerOptions = List.copyOf(compilerOptions);
        sourcePath = List.copyOf(sourcePath);
        if (cellStackSize < (1L << 20)) {
            throw new IllegalArgumentException("cellStackSize must be at least 1 MiB, got " + cellStackSize);
        }
    }

    /** The default imports, nothing else. */
    public static EvaluatorOptions defaults() {
        return new EvaluatorOptions(List.of(), DEFAULT_IMPORTS, List.of(), List.of(), List.of(),
                DEFAULT_CELL_STACK_SIZE);
    }

    /** These options with more classpath entries. */
    public EvaluatorOptions withClasspath(Path... entries) {
        return new EvaluatorOptions(plus(classpath, entries), imports, startupSnippets, compilerOptions, sourcePath,
                cellStackSize);
    }

    /** These options with more imports: {@code "java.time.*"}, {@code "static dev.glimpse.extension.Vision.*"}. */
    public EvaluatorOptions withImports(String... names) {
        return new EvaluatorOptions(classpath, plus(imports, names), startupSnippets, compilerOptions, sourcePath,
                cellStackSize);
    }

    /** These options without any import, the defaults included. */
    public EvaluatorOptions withoutImports() {
        return new EvaluatorOptions(classpath, List.of(), startupSnippets, compilerOptions, sourcePath,
                cellStackSize);
    }

    /** These options with more start-up code. */
    public EvaluatorOptions withStartupSnippets(String... code) {
        return new EvaluatorOptions(classpath, imports, plus(startupSnippets, code), compilerOptions, sourcePath,
                cellStackSize);
    }

    /** These options with more javac options. */
    public EvaluatorOptions withCompilerOptions(String... options) {
        return new EvaluatorOptions(classpath, imports, startupSnippets, plus(compilerOptions, options), sourcePath,
                cellStackSize);
    }

    /** These options with more Javadoc sources (directories or {@code -sources.jar} files). */
    public EvaluatorOptions withSourcePath(Path... entries) {
        return new EvaluatorOptions(classpath, imports, startupSnippets, compilerOptions, plus(sourcePath, entries),
                cellStackSize);
    }

    /** These options with another stack size for the cell thread. */
    public EvaluatorOptions withCellStackSize(long bytes) {
        return new EvaluatorOptions(classpath, imports, startupSnippets, compilerOptions, sourcePath, bytes);
    }

    /** Accepts {@code "java.util.*"} as well as {@code "import java.util.*;"}. */
    private static String importedName(String name) {
        String trimmed = Objects.requireNonNull(name, "import").strip();
        if (trimmed.startsWith("import ")) {
            trimmed = trimmed.substring("import ".length()).strip();
        }
        if (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("an import needs a name, such as \"java.util.*\"");
        }
        return trimmed;
    }

    @SafeVarargs
    private static <T> List<T> plus(List<T> list, T... more) {
        List<T> all = new ArrayList<>(list);
        for (T item : more) {
            all.add(Objects.requireNonNull(item));
        }
        return all;
    }
}
