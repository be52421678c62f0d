package dev.glimpse.kernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code %load file}: runs a {@code .jsh}/{@code .jshell}/{@code .java} file as Java code, or the code cells of an
 * {@code .ipynb} notebook in order, magics included.
 */
final class LoadMagic implements LineMagic {
    static final String HELP = """
            Run a file's code in this session: %load setup.jsh | %load Helpers.java | %load other.ipynb
            .jsh/.jshell/.java files run as Java snippets (a package declaration is dropped: JShell has no packages);
            a notebook runs its code cells in order, magics included. The path is relative to the working directory.
            Returns the value of the last thing it ran.""";

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+[\\w.]+\\s*;");
    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    private final CellRunner runner;

    LoadMagic(CellRunner runner) {
        this.runner = runner;
    }

    @Override
    public Object run(String args, MagicContext context) throws Exception {
        List<String> arguments = MagicArguments.split(args);
        if (arguments.size() != 1) {
            throw new MagicException("%load takes one file, got " + arguments.size() + ": %load path/to/file.jsh");
        }
        Path file = context.workingDirectory().resolve(arguments.get(0)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new MagicException("No such file: " + file + ". Paths are relative to " + context.workingDirectory()
                    + ".");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ipynb")) {
            return runNotebook(file, context);
        }
        if (name.endsWith(".jsh") || name.endsWith(".jshell") || name.endsWith(".java")) {
            return context.eval(withoutPackage(read(file)));
        }
        throw new MagicException("Cannot %load " + file.getFileName() + ": use a .jsh, .jshell, .java or .ipynb file.");
    }

    private Object runNotebook(Path notebook, MagicContext context) throws Exception {
        List<String> cells = NotebookCells.read(notebook);
        Object value = null;
        for (int i = 0; i < cells.size(); i++) {
            try {
                value = runner.run(cells.get(i), context);
            } catch (MagicException e) {
                throw new MagicException("Code cell " + (i + 1) + " of " + notebook.getFileName() + ": "
                        + e.getMessage(), e);
            }
        }
        return value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MagicException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Blanks out a leading package declaration, keeping line numbers, since JShell rejects it. */
    static String withoutPackage(String source) {
        Matcher m = PACKAGE.matcher(source);
        if (m.find() && COMMENTS.matcher(source.substring(0, m.start())).replaceAll("").isBlank()) {
            return source.substring(0, m.start()) + source.substring(m.end());
        }
        return source;
    }
}
