package dev.glimpse.kernel.jshell;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/**
 * Answers questions about code that is not run: completions, signatures with Javadoc, completeness. Each answer takes
 * the {@link CompilerLock}, so it waits while a snippet compiles but not while cell code runs.
 */
final class CodeAnalysis {

    private static final System.Logger LOG = System.getLogger(CodeAnalysis.class.getName());

    private final SourceCodeAnalysis analysis;
    private final CellSplitter splitter;
    private final SyntaxCheck syntax;
    private final JavadocSources javadocSources;
    private final CompilerLock compilerLock;

    CodeAnalysis(SourceCodeAnalysis analysis, CellSplitter splitter, SyntaxCheck syntax,
                 JavadocSources javadocSources, CompilerLock compilerLock) {
        this.analysis = analysis;
        this.splitter = splitter;
        this.syntax = syntax;
        this.javadocSources = javadocSources;
        this.compilerLock = compilerLock;
    }

    /**
     * Completions at {@code cursor}: names of variables, methods, types and members that fit there, those of the
     * expected type first.
     */
    Completion complete(String code, int cursor) {
        checkCursor(code, cursor);
        compilerLock.lock();
        try {
            int start = splitter.startOfSnippetAt(code.substring(0, cursor));
            int[] anchor = {-1};
            List<Suggestion> suggestions = analysis.completionSuggestions(code.substring(start), cursor - start,
                    anchor);
            if (suggestions.isEmpty() || anchor[0] < 0) {
                return new Completion(List.of(), cursor, cursor);
            }
            Set<String> matches = new LinkedHashSet<>();
            for (Suggestion s : suggestions) {
                if (s.matchesType()) {
                    matches.add(s.continuation());
                }
            }
            for (Suggestion s : suggestions) {
                matches.add(s.continuation());
            }
            return new Completion(List.copyOf(matches), start + anchor[0], cursor);
        } finally {
            compilerLock.unlock();
        }
    }

    /**
     * Signatures and Javadoc of what the code at {@code cursor} names: a type, a variable, a field, a method (all
     * overloads, whether the cursor is on its name, as JupyterLab's contextual help and Shift-Tab send it, or inside a
     * call's parentheses). Javadoc of JDK classes comes from {@code $JAVA_HOME/lib/src.zip}; without that file only
     * signatures are shown.
     *
     * @param detailLevel Jupyter's detail level; both levels give the same answer
     * @return nothing when the code at the cursor names nothing known
     */
    Optional<Inspection> inspect(String code, int cursor, int detailLevel) {
        checkCursor(code, cursor);
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++; // Jupyter puts the cursor anywhere in a name; JShell wants it at the end
        }
        compilerLock.lock();
        try {
            javadocSources.applyTo(analysis);
            String prefix = code.substring(0, end);
            int start = splitter.startOfSnippetAt(prefix);
            String snippet = prefix.substring(start);
            List<Documentation> docs = analysis.documentation(snippet, snippet.length(), true);
            if (docs.isEmpty() && endsWithName(snippet)) {
                // JShell documents a method only inside its call: "Math.max" finds nothing, "Math.max(" every overload
                docs = analysis.documentation(snippet + "(", snippet.length() + 1, true);
            }
            if (docs.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder text = new StringBuilder();
            StringBuilder html = new StringBuilder();
            Set<String> shown = new LinkedHashSet<>();
            for (Documentation doc : docs) {
                if (!shown.add(doc.signature())) {
                    continue;
                }
                if (text.length() > 0) {
                    text.append("\n\n");
                }
                text.append(doc.signature());
                html.append("<pre>").append(JavadocText.escape(doc.signature())).append("</pre>");
                if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                    text.append("\n\n").append(JavadocText.plain(doc.javadoc()));
                    html.append(JavadocText.html(doc.javadoc()));
                }
            }
            return Optional.of(new Inspection(text.toString(), html.toString()));
        } finally {
            compilerLock.unlock();
        }
    }

    /**
     * Whether {@code code} is ready to run: {@code INCOMPLETE} (with the next line's indent) while a block, call,
     * string or comment is open; {@code INVALID} when a complete snippet does not parse ({@code int x = 7q});
     * otherwise {@code COMPLETE}.
     */
    CompletenessCheck isComplete(String code) {
        Objects.requireNonNull(code, "code");
        compilerLock.lock();
        try {
            String remaining = code;
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                Completeness completeness = info.completeness();
                switch (completeness) {
                    case EMPTY:
                        return CompletenessCheck.of(CompletenessCheck.Status.COMPLETE);
                    case DEFINITELY_INCOMPLETE:
                    case CONSIDERED_INCOMPLETE:
                        return CompletenessCheck.incomplete(BlockDepth.indentAfter(code));
                    case UNKNOWN:
                        return CompletenessCheck.of(CompletenessCheck.Status.INVALID);
                    default:
                        if (!syntax.parses(info.source())) {
                            return CompletenessCheck.of(CompletenessCheck.Status.INVALID);
                        }
                        remaining = info.remaining();
                }
            }
            return CompletenessCheck.of(CompletenessCheck.Status.COMPLETE);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "completeness analysis failed", e);
            return CompletenessCheck.of(CompletenessCheck.Status.UNKNOWN);
        } finally {
            compilerLock.unlock();
        }
    }

    private static boolean endsWithName(String code) {
        return !code.isEmpty() && Character.isJavaIdentifierPart(code.charAt(code.length() - 1));
    }

    private static void checkCursor(String code, int cursor) {
        Objects.requireNonNull(code, "code");
        if (cursor < 0 || cursor > code.length()) {
            throw new IllegalArgumentException("cursor " + cursor + " is outside the code (length "
                    + code.length() + ")");
        }
    }
}
