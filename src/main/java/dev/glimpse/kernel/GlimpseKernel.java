package dev.glimpse.kernel;

import dev.glimpse.display.DisplayRenderers;
import dev.glimpse.kernel.history.HistoryStore;
import dev.glimpse.kernel.jshell.JShellEvaluator;
import dev.glimpse.kernel.magic.BuiltinMagics;
import dev.glimpse.kernel.magic.MagicRegistry;
import dev.glimpse.kernel.protocol.KernelSockets;
import dev.glimpse.kernel.protocol.Message;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Glimpse kernel: the object notebooks reach with {@code getKernelInstance()}. It is a JJava {@link BaseKernel},
 * so IJava/JJava code and extensions that use the renderer or {@code eval} keep working, but it speaks the wire
 * protocol through its own {@link KernelSockets} instead of the base library's polling channels.
 *
 * <p>This class wires the parts together and answers the notebook API; requests are handled by
 * {@link ShellRequests} and {@link ControlRequests}, cells run on the {@link CellThread}, and start-up work
 * (JShell, extensions, start-up scripts) happens in {@link KernelStartup} without delaying {@code kernel_info}.
 */
public final class GlimpseKernel extends BaseKernel {
    private static final Logger LOG = LoggerFactory.getLogger(GlimpseKernel.class);

    private final KernelConfig config;
    private final KernelSockets sockets;
    private final Publisher publisher;
    private final MagicRegistry magics = new MagicRegistry();
    private final java.util.concurrent.CompletableFuture<HistoryStore> history;
    private final KernelStartup startup;
    private final CellThread cellThread = new CellThread();
    private final ScheduledExecutorService streamTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "glimpse-stream-flush");
        thread.setDaemon(true);
        return thread;
    });
    private final CellOutputStream stdout;
    private final CellOutputStream stderr;
    private final StandardStreams standardStreams;
    private volatile Message currentRequest;
    private volatile boolean stdinAllowed;
    /** Display ids this cell has shown, so that a result rendered under one of them replaces it (see ExecuteRequests). */
    private final java.util.Set<String> displayIdsOfCell = java.util.concurrent.ConcurrentHashMap.newKeySet();

    GlimpseKernel(KernelConfig config, KernelSockets sockets) {
        super(KernelInfo.IMPLEMENTATION, KernelInfo.version(),
                new LanguageInfo.Builder("java").version(KernelInfo.javaVersion()).mimetype("text/x-java-source")
                        .fileExtension(".jshell").pygments("java").codemirror("text/x-java").build(),
                List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/index.html")),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null, null,
                config.loadExtensions(), new StringStyler.Builder().build());
        this.config = config;
        this.sockets = sockets;
        this.publisher = new Publisher(sockets.iopub(), UUID.randomUUID().toString());
        // Opening the history reads and locks a file: done off the path to the first kernel_info reply.
        this.history = java.util.concurrent.CompletableFuture.supplyAsync(() -> openHistory(config),
                runnable -> {
                    Thread thread = new Thread(runnable, "glimpse-history-open");
                    thread.setDaemon(true);
                    thread.start();
                });
        this.stdout = new CellOutputStream("stdout", this::stream, streamTimer);
        this.stderr = new CellOutputStream("stderr", this::stream, streamTimer);
        this.standardStreams = new StandardStreams(stdout, stderr);
        DisplayRenderers.registerDefaults(getRenderer());
        BuiltinMagics.install(magics, Notebook.SUMMARY);
        this.startup = new KernelStartup(this, config);
    }

    /** The history file, or an in-memory history (with a warning) when the file cannot be used. */
    private static HistoryStore openHistory(KernelConfig config) {
        try {
            return HistoryStore.open(config.historyFile());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot use the history file {} ({}); history is kept in memory for this session. "
                    + "Set GLIMPSE_HISTORY to a writable file.", config.historyFile(), e.getMessage());
            return HistoryStore.inMemory();
        }
    }

    /** Redirects the standard streams, starts answering requests, then starts JShell and extensions behind. */
    void start() {
        standardStreams.restore();
        System.setIn(new CellInputStream(this::readLine));
        installNotebookKernel();
        publisher.status(null, "starting");
        sockets.start(new ShellRequests(this), new ControlRequests(this));
        startup.begin();
    }

    /** The running kernel. */
    public static GlimpseKernel instance() {
        return (GlimpseKernel) BaseKernel.notebookKernel();
    }

    KernelConfig config() {
        return config;
    }

    KernelSockets sockets() {
        return sockets;
    }

    Publisher publisher() {
        return publisher;
    }

    HistoryStore history() {
        return history.join();
    }

    KernelStartup startup() {
        return startup;
    }

    CellThread cellThread() {
        return cellThread;
    }

    /** The registry of line and cell magics. */
    public MagicRegistry magics() {
        return magics;
    }

    /** Marks the request whose outputs are being produced; {@code null} between cells. */
    void enterRequest(Message request, boolean allowStdin) {
        standardStreams.restore();
        this.currentRequest = request;
        this.stdinAllowed = allowStdin;
        displayIdsOfCell.clear();
    }

    /** Whether the running cell has already shown an output under this display id. */
    boolean shownInCell(String displayId) {
        return displayId != null && displayIdsOfCell.contains(displayId);
    }

    /** Sends any text the cell wrote that is still batched. */
    void flushStreams() {
        stdout.send();
        stderr.send();
    }

    void leaveRequest() {
        flushStreams();
        this.stdinAllowed = false;
    }

    private void stream(String name, String text) {
        Message parent = currentRequest;
        if (parent == null) {
            LOG.info("[{} outside a cell] {}", name, text.strip());
            return;
        }
        publisher.stream(parent, name, text);
    }

    /** Asks the frontend for a line of input, as {@code input()} does in Python. */
    public String readLine(String prompt, boolean password) throws IOException {
        Message parent = currentRequest;
        if (parent == null || !stdinAllowed) {
            throw new IOException("Reading input is not supported here: the frontend that ran this cell does not "
                    + "accept input requests (allow_stdin is false)");
        }
        flushStreams();
        try {
            return sockets.stdin().requestInput(parent, prompt, password, publisher.session());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Input request interrupted");
        }
    }

    /** Publishes a display bundle in the current cell's output; with a display id it can be updated later. */
    @Override
    public void display(DisplayData data) {
        flushStreams();
        if (data.hasDisplayId()) {
            displayIdsOfCell.add(data.getDisplayId());
        }
        publisher.displayData(currentRequest, data);
    }

    /** Replaces the output shown under a display id, wherever it is in the notebook. */
    public void updateDisplay(DisplayData data) {
        if (!data.hasDisplayId()) {
            throw new IllegalArgumentException("updateDisplay needs a display id: use the id display(..) returned");
        }
        publisher.updateDisplayData(currentRequest, data);
    }

    /** Clears the current cell's output; with {@code wait}, only when new output arrives. */
    public void clearOutput(boolean wait) {
        flushStreams();
        publisher.clearOutput(currentRequest, wait);
    }

    /** The JShell evaluator, waiting for start-up to finish if needed. */
    public JShellEvaluator evaluator() {
        return startup.evaluator();
    }

    /** Evaluates Java code (no magics) and returns the value of its last expression, or null. */
    @Override
    public Object evalRaw(String source) {
        try {
            return evaluator().eval(source, 1).value();
        } catch (dev.glimpse.kernel.jshell.CellFailure e) {
            throw new IllegalStateException(e.report(), e);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return evaluator().inspect(code, at, extraDetail ? 1 : 0).map(inspection -> {
            DisplayData data = new DisplayData(inspection.plainText());
            data.putHTML(inspection.html());
            return data;
        }).orElse(null);
    }

    /** JShell's completions, or magic names when the cursor is on a {@code %word} at the start of a line. */
    @Override
    public ReplacementOptions complete(String code, int at) {
        int start = at;
        while (start > 0 && (Character.isJavaIdentifierPart(code.charAt(start - 1)) || code.charAt(start - 1) == '%')) {
            start--;
        }
        String word = code.substring(start, at);
        int lineStart = code.lastIndexOf('\n', start - 1) + 1;
        if (word.startsWith("%") && code.substring(lineStart, start).isBlank()) {
            return new ReplacementOptions(magics.completions(word), start, at);
        }
        var completion = evaluator().complete(code, at);
        return new ReplacementOptions(completion.matches(), completion.start(), completion.end());
    }

    @Override
    public String isComplete(String code) {
        var check = evaluator().isComplete(code);
        return switch (check.status()) {
            case COMPLETE -> IS_COMPLETE_YES;
            case INVALID -> IS_COMPLETE_BAD;
            case UNKNOWN -> IS_COMPLETE_MAYBE;
            case INCOMPLETE -> check.indent();
        };
    }

    @Override
    public void interrupt() {
        startup.interruptCell();
    }

    /** Runs extension uninstall hooks and flushes output; called before the process exits. */
    @Override
    public void onShutdown(boolean restarting) {
        startup.shutdown();
        flushStreams();
        super.onShutdown(restarting);
    }
}
