package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import dev.glimpse.kernel.jshell.TracebackRenderer.SnippetOrigin;

/**
 * Evaluates the snippets of a cell with JShell, one after another, and turns what JShell and the execution control
 * report into an {@link Evaluation} or a {@link CellFailure}: compile errors located in the cell, the real throwable
 * with a cell-line traceback, interrupts, refused exits.
 */
final class SnippetEvaluator {

    private static final Set<Snippet.SubKind> VALUE_KINDS = Set.of(Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND,
            Snippet.SubKind.VAR_VALUE_SUBKIND, Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);

    private final JShell jshell;
    private final CellSplitter splitter;
    private final CellExecutionControl control;
    private final CellRunner runner;
    private final CompilerLock compilerLock;
    private final DeclarationNotes declarationNotes;
    private final Map<String, SnippetOrigin> origins;
    private final TracebackRenderer renderer;

    SnippetEvaluator(JShell jshell, CellSplitter splitter, CellExecutionControl control, CellRunner runner,
                     CompilerLock compilerLock, Map<String, SnippetOrigin> origins) {
        this.jshell = jshell;
        this.splitter = splitter;
        this.control = control;
        this.runner = runner;
        this.compilerLock = compilerLock;
        this.declarationNotes = new DeclarationNotes(jshell);
        this.origins = origins;
        this.renderer = new TracebackRenderer(origins::get);
    }

    /** Evaluates one snippet and drops what it declared, leaving no trace among the user's declarations. */
    void evaluateAndForget(String snippet) {
        compilerLock.lock();
        try {
            control.clearOutcomes();
            for (SnippetEvent event : jshell.eval(snippet)) {
                if (event.causeSnippet() == null && event.snippet().kind() != Snippet.Kind.ERRONEOUS) {
                    jshell.drop(event.snippet());
                }
            }
            control.clearOutcomes();
        } finally {
            compilerLock.unlock();
        }
    }

    /** Evaluates the snippets of {@code cell} in order, stopping at the first that fails. */
    Evaluation evaluate(CellText cell) throws CellFailure {
        compilerLock.lock();
        try {
            Evaluation result = Evaluation.none(List.of());
            List<String> notes = new ArrayList<>();
            Map<Snippet, Boolean> declared = new LinkedHashMap<>(); // snippet -> declared by this cell (not updated)
            for (CellSplitter.Piece piece : splitter.split(cell.code())) {
                if (CellInterrupt.requested()) {
                    throw new CellInterrupted(List.of("Interrupted"), false, null);
                }
                result = evaluatePiece(cell, piece, declared, notes);
            }
            notes.addAll(declarationNotes.unresolved(declared));
            return result.withNotes(notes);
        } finally {
            compilerLock.unlock();
        }
    }

    private Evaluation evaluatePiece(CellText cell, CellSplitter.Piece piece, Map<Snippet, Boolean> declared,
                                     List<String> notes) throws CellFailure {
        List<SnippetEvent> events;
        control.clearOutcomes();
        try {
            events = jshell.eval(piece.code());
        } catch (OutOfMemoryError e) {
            runner.releaseReserve();
            throw new ExceptionFailure(e, List.of(e.toString(), "    The kernel ran out of memory while compiling "
                    + "the cell. Free memory that earlier cells hold (set large variables to null) or restart the "
                    + "kernel."));
        }
        List<CellRunner.Outcome> outcomes = control.takeOutcomes();
        SnippetOrigin origin = new SnippetOrigin(cell.name(), cell.lineOf(piece.offset()));
        List<CellDiagnostic> diagnostics = new ArrayList<>();
        Evaluation value = Evaluation.none(List.of());
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                declarationNotes.noteUpdate(event, declared, notes); // an earlier snippet, updated because of this one
                continue;
            }
            Snippet snippet = event.snippet();
            origins.put(snippet.id(), origin);
            declared.put(snippet, true);
            if (event.status() == Snippet.Status.REJECTED) {
                diagnostics.addAll(diagnostics(cell, piece, snippet));
            } else if (event.exception() != null) {
                throw runFailure(event.exception(), outcomes);
            } else if (VALUE_KINDS.contains(snippet.subKind())) {
                value = new Evaluation(true, lastValue(outcomes), typeName(snippet), List.of());
            }
        }
        if (events.isEmpty() && !piece.complete()) {
            int end = cell.code().length();
            diagnostics.add(new CellDiagnostic(cell.lineOf(end), cell.columnOf(end), 1,
                    "the code ends before it is complete: a block, parenthesis, string or comment is not closed",
                    cell.lineText(end)));
        }
        if (!diagnostics.isEmpty()) {
            throw new CompileFailure(cell.name(), diagnostics);
        }
        for (CellRunner.Outcome outcome : outcomes) {
            if (outcome instanceof CellRunner.Outcome.Abandoned abandoned) {
                throw new CellInterrupted(List.of("Interrupted",
                        "    The cell's thread (" + abandoned.threadName() + ") was busy in library code that does "
                                + "not stop when interrupted. It was left running and stops when it next reaches "
                                + "cell code; restart the kernel to stop it for sure."), true, null);
            }
            if (outcome instanceof CellRunner.Outcome.NotStarted) {
                throw new CellInterrupted(List.of("Interrupted"), false, null);
            }
            if (outcome instanceof CellRunner.Outcome.Threw threw) {
                // JShell reported no exception although the snippet threw: it loses exceptions it fails to
                // convert, quietly (for instance when the heap is full)
                throw runFailure(null, List.of(threw));
            }
        }
        return value;
    }

    private CellFailure runFailure(JShellException translated, List<CellRunner.Outcome> outcomes) {
        Throwable thrown = null;
        for (CellRunner.Outcome outcome : outcomes) {
            if (outcome instanceof CellRunner.Outcome.Threw threw) {
                thrown = threw.thrown();
                break;
            }
        }
        if (CellInterrupt.requested()) {
            return new CellInterrupted(renderer.render("Interrupted", thrown, translated), false, thrown);
        }
        if (translated instanceof UnresolvedReferenceException unresolved) {
            DeclarationSnippet declaration = unresolved.getSnippet();
            String name = DeclarationNotes.describe(declaration);
            List<String> missing = jshell.unresolvedDependencies(declaration).toList();
            String message = UnresolvedReference.message(name, missing);
            return new UnresolvedReference(name, missing, renderer.render(message, null, translated));
        }
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ExitRefusedError refused) {
                return new ExitRefused(refused, renderer.render(refused.getMessage(), thrown, translated));
            }
        }
        if (thrown == null) { // not expected: JShell reported an exception our control did not see
            String type = translated instanceof EvalException e ? e.getExceptionClassName() : "Exception";
            thrown = new RuntimeException(type + ": " + translated.getMessage());
        }
        return new ExceptionFailure(thrown, renderer.render(thrown.toString(), thrown, translated));
    }

    private static Object lastValue(List<CellRunner.Outcome> outcomes) {
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            if (outcomes.get(i) instanceof CellRunner.Outcome.Returned returned) {
                return returned.value();
            }
        }
        return null;
    }

    private static String typeName(Snippet snippet) {
        if (snippet instanceof VarSnippet var) {
            return var.typeName();
        }
        if (snippet instanceof ExpressionSnippet expression) {
            return expression.typeName();
        }
        return "";
    }

    private List<CellDiagnostic> diagnostics(CellText cell, CellSplitter.Piece piece, Snippet snippet) {
        List<CellDiagnostic> located = new ArrayList<>();
        for (Diag diag : jshell.diagnostics(snippet).toList()) {
            if (!diag.isError()) {
                continue;
            }
            long position = diag.getPosition() >= 0 ? diag.getPosition() : Math.max(0, diag.getStartPosition());
            int offset = piece.offset() + (int) Math.min(position, piece.code().length());
            String sourceLine = cell.lineText(offset);
            int column = cell.columnOf(offset);
            long end = diag.getEndPosition();
            int length = end > position ? (int) (end - position) : 1;
            length = Math.max(1, Math.min(length, sourceLine.length() - column + 1));
            located.add(new CellDiagnostic(cell.lineOf(offset), column, length, message(diag), sourceLine));
        }
        if (located.isEmpty()) {
            located.add(new CellDiagnostic(cell.lineOf(piece.offset()), cell.columnOf(piece.offset()), 1,
                    "JShell rejected this snippet without saying why", cell.lineText(piece.offset())));
        }
        return located;
    }

    /** The compiler's message without the lines that only name JShell's wrapper class. */
    static String message(Diag diag) {
        StringBuilder message = new StringBuilder();
        for (String line : diag.getMessage(Locale.ROOT).split("\n")) {
            if (line.strip().matches("location: class\\s*")) {
                continue;
            }
            if (message.length() > 0) {
                message.append('\n');
            }
            message.append(line.stripTrailing());
        }
        return message.toString();
    }
}
