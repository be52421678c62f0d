package dev.glimpse.kernel.jshell;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.util.JavacTask;

/**
 * Decides whether one snippet parses as Java, which JShell's completeness analysis does not: it calls
 * {@code int x = 7q} complete. The snippet is parsed (not compiled) by javac in each of the shapes a JShell snippet
 * can take — an import, class members, method statements, an expression — and it is valid if any of them parses.
 */
final class SyntaxCheck implements AutoCloseable {

    private static final List<String> OPTIONS = List.of("-proc:none", "-Xlint:none");

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);

    /** Whether {@code snippet}, a complete snippet as JShell's analysis delimits it, parses in some shape. */
    synchronized boolean parses(String snippet) {
        String code = snippet.strip();
        if (code.startsWith("import")) {
            return parsesAsUnit(code + "\nclass $Unit {}\n");
        }
        String expression = code.endsWith(";") ? code.substring(0, code.length() - 1) : code;
        return parsesAsUnit("class $Unit {\n" + code + "\n}\n")
                || parsesAsUnit("class $Unit { void $run() throws Throwable {\n" + code + "\n} }\n")
                || parsesAsUnit("class $Unit { Object $value = (\n" + expression + "\n); }\n");
    }

    private boolean parsesAsUnit(String source) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, OPTIONS, null,
                List.of(new SourceText(source)));
        try {
            task.parse();
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    private static final class SourceText extends SimpleJavaFileObject {

        private final String text;

        SourceText(String text) {
            super(URI.create("string:///$Unit.java"), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
