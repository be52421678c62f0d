package dev.glimpse.kernel.jshell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

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
    /** Exercises JShell's path for expressions and variables (type analysis, then a wrapper); dropped afterwards. */
    private static final String WARM_UP_VARIABLE = "var $glimpseWarmUp = 6 * 7;";

    private final EvaluatorOptions options;
    private final SnippetClassLoader loader;
    private final CellRunner runner;
    private final CompilerLock compilerLock = new CompilerLock();
    private final ReentrantLock evalLock = new ReentrantLock();
    private final JShell jshell;
    private final SyntaxCheck syntax = new SyntaxCheck();
    private final JavadocSources javadocSources;
    private final SnippetEvaluator snippets;
    private final CodeAnalysis codeAnalysis;

    private volatile boolean cellRunning;
    private boolean started;
    private boolean warmedUp;
    private List<String> startupNotes = List.of();
    private boolean closed;

    private JShellEvaluator(EvaluatorOptions options) {
        this.options = options;
        this.loader = new SnippetClassLoader(JShellEvaluator.class.getClassLoader());
        this.runner = new CellRunner(options.cellStackSize());
        CellExecutionControl control = new CellExecutionControl(loader, runner, compilerLock);
        this.jshell = JShell.builder()
                .executionEngine(control.provider(), Map.of())
                .compilerOptions(options.compilerOptions().toArray(String[]::new))
                .build();
        settleCompilerClasspath();
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        CellSplitter splitter = new CellSplitter(analysis);
        this.javadocSources = new JavadocSources(options.sourcePath());
        this.snippets = new SnippetEvaluator(jshell, splitter, control, runner, compilerLock,
                new ConcurrentHashMap<>());
        this.codeAnalysis = new CodeAnalysis(analysis, splitter, syntax, javadocSources, compilerLock);
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
                snippets.evaluate(new CellText(WARM_UP_CODE, 1, "warm-up"));
                snippets.evaluateAndForget(WARM_UP_VARIABLE);
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
     * @throws CellFailure if a snippet does not compile, throws, is interrupted or calls {@code System.exit}
     */
    public Evaluation eval(String code, int firstLine, String cellName) throws CellFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(cellName, "cellName");
        if (firstLine < 1) {
            throw new IllegalArgumentException("firstLine is 1-based, got " + firstLine);
        }
        if (runner.onCellThread()) {
            return snippets.evaluate(new CellText(code, firstLine, cellName)); // cell code evaluating code
        }
        evalLock.lock();
        try {
            checkOpen();
            List<String> notes = ensureStarted();
            startupNotes = List.of();
            cellRunning = true;
            CellInterrupt.lower();
            try {
                Evaluation evaluation = snippets.evaluate(new CellText(code, firstLine, cellName));
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
        return codeAnalysis.complete(code, cursor);
    }

    /**
     * Signatures and Javadoc of what the code at {@code cursor} names: a type, a variable, a method (all overloads
     * when the cursor is inside a call's parentheses). Javadoc of JDK classes comes from {@code $JAVA_HOME/lib/src.zip};
     * without that file only signatures are shown. Javadoc of other libraries needs
     * {@link EvaluatorOptions#sourcePath()}.
     *
     * @param detailLevel Jupyter's detail level; both levels give the same answer
     * @return nothing when the code at the cursor names nothing known
     */
    public Optional<Inspection> inspect(String code, int cursor, int detailLevel) {
        return codeAnalysis.inspect(code, cursor, detailLevel);
    }

    /**
     * Whether {@code code} is ready to run: {@code INCOMPLETE} (with the next line's indent) while a block, call,
     * string or comment is open; {@code INVALID} when a complete snippet does not parse ({@code int x = 7q});
     * otherwise {@code COMPLETE}.
     */
    public CompletenessCheck isComplete(String code) {
        return codeAnalysis.isComplete(code);
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

    /**
     * The notebook's variables and their values, in declaration order, for reports such as what holds the heap.
     * Variables whose value cannot be read (not initialised yet) are left out.
     */
    public Map<String, Object> variables() {
        compilerLock.lock();
        try {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            jshell.variables().filter(v -> jshell.status(v).isActive())
                    .forEach(v -> loader.variableValue(v.name()).ifPresent(value -> out.put(v.name(), value)));
            return out;
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
            snippets.evaluate(new CellText(code, 1, "start-up code"));
        } catch (CellFailure failure) {
            problems.add("start-up code `" + code.strip() + "` failed: " + failure.evalue());
            LOG.log(System.Logger.Level.WARNING, "start-up code failed: " + code + "\n" + failure.report());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this evaluator is closed; create a new one");
        }
    }
}
