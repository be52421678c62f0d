package dev.glimpse.kernel.jshell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import dev.glimpse.kernel.jshell.TracebackRenderer.SnippetOrigin;

/**
 * Evaluates notebook cells with JShell inside this JVM: a value a cell produces is the real object, and objects live
 * on from cell to cell.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@link #eval} is called by one thread at a time; cell code runs on a dedicated cell thread (deep stack,
 *       context class loader = {@link #classLoader()}) while the caller waits. Cell code may call back into
 *       {@code eval} or {@link #addToClasspath} (magics do); that runs on the cell thread at once.</li>
 *   <li>{@link #interrupt()} may be called from any thread at any time.</li>
 *   <li>{@link #complete}, {@link #inspect} and {@link #isComplete} may be called from any thread, also while a cell
 *       runs: they wait only while JShell compiles a snippet (tens of milliseconds), never for cell code.</li>
 *   <li>{@link #warmUp()} is meant for a background thread at kernel start; an {@code eval} that arrives meanwhile
 *       waits for it.</li>
 * </ul>
 *
 * <h2>Interrupts</h2>
 * Snippet bytecode polls {@link CellInterrupt} at every method entry and loop back edge, and {@link #interrupt()} also
 * interrupts the cell thread, so loops, sleeps and waits stop at once, on every JDK. Code stuck in a library that
 * neither polls nor reacts to {@link Thread#interrupt()} is stopped after a second (JDK 17–19) or left running on its
 * own (newer JDKs; see {@link CellInterrupted#threadLeftRunning()}).
 */
public final class JShellEvaluator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JShellEvaluator.class.getName());
    private static final String DEFAULT_CELL_NAME = "cell";
    /** Exercises javac, class loading, lambdas and the cell thread without declaring anything. */
    private static final String WARM_UP_CODE =
            "{ java.util.List.of(1, 2, 3).stream().map(i -> i * 2).mapToInt(Integer::intValue).sum(); }";
    private static final Set<Snippet.SubKind> VALUE_KINDS = Set.of(Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND,
            Snippet.SubKind.VAR_VALUE_SUBKIND, Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);

    private final EvaluatorOptions options;
    private final SnippetClassLoader loader;
    private final CellRunner runner;
    private final CompilerLock compilerLock = new CompilerLock();
    private final ReentrantLock evalLock = new ReentrantLock();
    private final CellExecutionControl control;
    private final JShell jshell;
    private final SourceCodeAnalysis analysis;
    private final CellSplitter splitter;
    private final SyntaxCheck syntax = new SyntaxCheck();
    private final JavadocSources javadocSources;
    private final Map<String, SnippetOrigin> origins = new ConcurrentHashMap<>();
    private final TracebackRenderer renderer = new TracebackRenderer(origins::get);

    private volatile boolean cellRunning;
    private boolean started;
    private boolean warmedUp;
    private List<String> startupNotes = List.of();
    private boolean closed;

    private JShellEvaluator(EvaluatorOptions options) {
        this.options = options;
        this.loader = new SnippetClassLoader(JShellEvaluator.class.getClassLoader());
        this.runner = new CellRunner(options.cellStackSize());
        this.control = new CellExecutionControl(loader, runner, compilerLock);
        this.jshell = JShell.builder()
                .executionEngine(control.provider(), Map.of())
                .compilerOptions(options.compilerOptions().toArray(String[]::new))
                .build();
        settleCompilerClasspath();
        this.analysis = jshell.sourceCodeAnalysis();
        this.splitter = new CellSplitter(analysis);
        this.javadocSources = new JavadocSources(options.sourcePath());
        if (!options.classpath().isEmpty()) {
            addToClasspath(options.classpath().toArray(Path[]::new));
        }
    }

    /**
     * Sets the compiler's classpath explicitly, on this thread, before JShell's analysis exists. Otherwise javac
     * computes its default classpath lazily on first use, and when that first use is the analysis's background
     * indexer, a classpath added meanwhile can be overwritten by the default: the added jars then stay invisible to
     * completion and inspection for good (seen on JDK 25 with the kernel's classpath of some 80 jars).
     */
    private void settleCompilerClasspath() {
        KernelClasspath.entries().stream().findFirst()
                .ifPresent(entry -> jshell.addToClasspath(entry.toString())); // the loader delegate skips it
    }

    /**
     * Creates an evaluator: JShell is built (about 0.2 s) but compiles nothing yet. The imports and start-up snippets
     * run in {@link #warmUp()} or, failing that, before the first cell.
     */
    public static JShellEvaluator create(EvaluatorOptions options) {
        return new JShellEvaluator(Objects.requireNonNull(options, "options"));
    }

    /**
     * Runs the start-up imports and snippets and warms up the compiler, completion, inspection and the completeness
     * check, so that the first cell answers in tens of milliseconds rather than seconds. Call it on a background
     * thread when the kernel starts; calling it again does nothing. Problems with start-up code are reported as
     * {@link Evaluation#notes()} of the first cell.
     */
    public void warmUp() {
        evalLock.lock();
        try {
            ensureStarted();
            if (warmedUp) {
                return;
            }
            warmedUp = true;
            try {
                evaluate(new CellText(WARM_UP_CODE, 1, "warm-up"));
            } catch (CellFailure failure) {
                LOG.log(System.Logger.Level.WARNING, "warm-up cell failed: " + failure.report());
            }
        } finally {
            evalLock.unlock();
        }
        complete("\"\".len", 6);
        inspect("String", 6, 0);
        isComplete("int x = 1;");
    }

    /** {@link #eval(String, int, String)} with the cell named "cell" in messages. */
    public Evaluation eval(String code, int firstLine) throws CellFailure {
        return eval(code, firstLine, DEFAULT_CELL_NAME);
    }

    /**
     * Evaluates the code of a cell: its snippets one after another, stopping at the first that fails.
     *
     * @param code      the code, possibly several snippets ({@code int a = 1; int b = 2; a + b})
     * @param firstLine the 1-based line of {@code code} within the cell, so that messages give cell lines (2 when a
     *                  magic line precedes the code)
     * @param cellName  how messages name the cell, such as {@code "In [3]"}: {@code at f (In [3] line 2)}; frames in
     *                  code of earlier cells carry those cells' names
     * @return the value of the last snippet if it is an expression, otherwise no value
     * @throws CellFailure    if a snippet does not compile, throws, is interrupted or calls {@code System.exit}
     */
    public Evaluation eval(String code, int firstLine, String cellName) throws CellFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(cellName, "cellName");
        if (firstLine < 1) {
            throw new IllegalArgumentException("firstLine is 1-based, got " + firstLine);
        }
        if (runner.onCellThread()) {
            return evaluate(new CellText(code, firstLine, cellName)); // cell code evaluating code: same cell
        }
        evalLock.lock();
        try {
            checkOpen();
            List<String> notes = ensureStarted();
            startupNotes = List.of();
            cellRunning = true;
            CellInterrupt.lower();
            try {
                Evaluation evaluation = evaluate(new CellText(code, firstLine, cellName));
                if (notes.isEmpty()) {
                    return evaluation;
                }
                List<String> all = new ArrayList<>(notes);
                all.addAll(evaluation.notes());
                return new Evaluation(evaluation.hasValue(), evaluation.value(), evaluation.typeName(), all);
            } finally {
                cellRunning = false;
                CellInterrupt.lower();
                runner.restoreReserve();
            }
        } finally {
            evalLock.unlock();
        }
    }

    /**
     * Interrupts the running cell, if any: the snippet running now stops promptly with {@link CellInterrupted}, and
     * the cell's remaining snippets do not run. Callable from any thread; does nothing between cells.
     */
    public void interrupt() {
        if (cellRunning) {
            CellInterrupt.raise();
            runner.interrupt();
        }
    }

    /**
     * Completions at {@code cursor}: names of variables, methods, types and members that fit there, those of the
     * expected type first.
     */
    public Completion complete(String code, int cursor) {
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
     * Signatures and Javadoc of what the code at {@code cursor} names: a type, a variable, a method (all overloads
     * when the cursor is inside a call's parentheses). Javadoc of JDK classes comes from {@code $JAVA_HOME/lib/src.zip};
     * without that file only signatures are shown.
     *
     * @param detailLevel Jupyter's detail level; both levels give the same answer
     * @return nothing when the code at the cursor names nothing known
     */
    public Optional<Inspection> inspect(String code, int cursor, int detailLevel) {
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
            List<Documentation> docs = analysis.documentation(prefix.substring(start), end - start, true);
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
    public CompletenessCheck isComplete(String code) {
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

    /**
     * Adds jars or class directories for the compiler and for loading (for {@code %classpath}, {@code %maven}).
     * Classes in them load in {@link #classLoader()}, a child of the kernel's loader: do not add jars that are
     * already on the kernel classpath, nor jars with native libraries that the kernel may load as well.
     *
     * @throws IllegalArgumentException if an entry does not exist
     */
    public void addToClasspath(Path... entries) {
        for (Path entry : entries) {
            if (!Files.exists(entry)) {
                throw new IllegalArgumentException("cannot add " + entry + " to the classpath: it does not exist");
            }
        }
        compilerLock.lock();
        try {
            for (Path entry : entries) {
                jshell.addToClasspath(entry.toAbsolutePath().toString());
            }
        } finally {
            compilerLock.unlock();
        }
    }

    /** The class loader of cell classes and added classpath entries; its parent is the kernel's class loader. */
    public ClassLoader classLoader() {
        return loader;
    }

    /**
     * Interrupts the running cell, if any, waits for it to end (about a second at most), then closes JShell, ends the
     * cell thread and closes the cell class loader.
     */
    @Override
    public void close() {
        interrupt();
        evalLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            jshell.close();
            runner.close();
            javadocSources.close();
            try {
                syntax.close();
                loader.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the evaluator", e);
            }
        } finally {
            evalLock.unlock();
        }
    }

    // --- evaluation ---------------------------------------------------------------------------------------------

    /** Runs the start-up imports and snippets once; returns notes about those that failed, once. */
    private List<String> ensureStarted() {
        if (!started) {
            started = true;
            List<String> problems = new ArrayList<>();
            for (String name : options.imports()) {
                runStartup("import " + name + ";", problems);
            }
            for (String snippet : options.startupSnippets()) {
                runStartup(snippet, problems);
            }
            startupNotes = List.copyOf(problems);
        }
        return startupNotes;
    }

    private void runStartup(String code, List<String> problems) {
        try {
            evaluate(new CellText(code, 1, "start-up code"));
        } catch (CellFailure failure) {
            problems.add("start-up code `" + code.strip() + "` failed: " + failure.evalue());
            LOG.log(System.Logger.Level.WARNING, "start-up code failed: " + code + "\n" + failure.report());
        }
    }

    private Evaluation evaluate(CellText cell) throws CellFailure {
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
            notes.addAll(unresolvedNotes(declared));
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
                noteUpdate(event, declared, notes); // an earlier snippet, updated because of this one
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
            String name = describe(declaration);
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
    private static String message(Diag diag) {
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

    /** Notes a variable that an update reset; remembers other updated declarations for {@link #unresolvedNotes}. */
    private static void noteUpdate(SnippetEvent event, Map<Snippet, Boolean> declared, List<String> notes) {
        Snippet snippet = event.snippet();
        if (!event.status().isDefined() && !event.status().isActive()) {
            return; // overwritten or dropped: the old version of a redefined snippet
        }
        if (snippet instanceof VarSnippet var && event.status().isDefined() && event.previousStatus().isDefined()
                && event.isSignatureChange()) {
            String cause = event.causeSnippet() instanceof DeclarationSnippet d ? describe(d) : "an earlier snippet";
            notes.add("variable " + var.name() + " was reset to " + defaultValue(var.typeName()) + " because "
                    + cause + " changed");
        } else {
            declared.putIfAbsent(snippet, false);
        }
    }

    /**
     * Declarations that JShell accepted but cannot run until something else is declared or fixed: those of this cell,
     * and earlier ones that this cell broke.
     */
    private List<String> unresolvedNotes(Map<Snippet, Boolean> snippets) {
        List<String> notes = new ArrayList<>();
        snippets.forEach((snippet, declaredHere) -> {
            if (!(snippet instanceof DeclarationSnippet declaration)) {
                return;
            }
            Snippet.Status status = jshell.status(declaration);
            if (status != Snippet.Status.RECOVERABLE_DEFINED && status != Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                return;
            }
            String until = " until " + waitsFor(declaration);
            if (!declaredHere) {
                notes.add(describe(declaration) + " can no longer be used" + until);
            } else if (status == Snippet.Status.RECOVERABLE_DEFINED) {
                notes.add(describe(declaration) + " is declared, but it cannot be used" + until);
            } else {
                notes.add(describe(declaration) + " is not created yet: it cannot be used" + until);
            }
        });
        return notes;
    }

    private String waitsFor(DeclarationSnippet declaration) {
        List<String> missing = jshell.unresolvedDependencies(declaration).toList();
        if (!missing.isEmpty()) {
            return String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " declared";
        }
        return jshell.diagnostics(declaration).filter(Diag::isError).findFirst()
                .map(d -> "it compiles again (" + message(d).lines().findFirst().orElse("") + ")")
                .orElse("it compiles again");
    }

    private static String defaultValue(String typeName) {
        switch (typeName) {
            case "boolean":
                return "false";
            case "byte": case "short": case "int": case "long": case "char":
                return "0";
            case "float": case "double":
                return "0.0";
            default:
                return "null";
        }
    }

    private static String describe(DeclarationSnippet snippet) {
        if (snippet instanceof MethodSnippet method) {
            return "method " + method.name() + "(" + method.parameterTypes() + ")";
        }
        if (snippet instanceof VarSnippet var) {
            return "variable " + var.name();
        }
        if (snippet instanceof TypeDeclSnippet type) {
            String kind = switch (type.subKind()) {
                case INTERFACE_SUBKIND -> "interface";
                case ENUM_SUBKIND -> "enum";
                case RECORD_SUBKIND -> "record";
                case ANNOTATION_TYPE_SUBKIND -> "annotation interface";
                default -> "class";
            };
            return kind + " " + type.name();
        }
        return snippet.name();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this evaluator is closed; create a new one");
        }
    }

    private static void checkCursor(String code, int cursor) {
        Objects.requireNonNull(code, "code");
        if (cursor < 0 || cursor > code.length()) {
            throw new IllegalArgumentException("cursor " + cursor + " is outside the code (length "
                    + code.length() + ")");
        }
    }
}
