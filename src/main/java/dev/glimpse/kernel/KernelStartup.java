package dev.glimpse.kernel;

import dev.glimpse.kernel.jshell.CellInterrupt;
import dev.glimpse.kernel.jshell.EvaluatorOptions;
import dev.glimpse.kernel.jshell.JShellEvaluator;
import dev.glimpse.kernel.magic.MagicRegistry;
import dev.glimpse.kernel.spi.ExtensionContext;
import dev.glimpse.kernel.spi.KernelExtension;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the kernel does at start after it has begun answering requests, on one background thread: start JShell,
 * install extensions from the kernel's classpath and {@code GLIMPSE_CLASSPATH}, evaluate their imports and start-up
 * code, warm the compiler up, and run the user's start-up scripts. Cells wait for it; {@code kernel_info} does not.
 *
 * <p>Problems (a failing extension, a start-up script that does not compile) are kept and shown as stderr in the
 * first cell, and the kernel carries on.
 */
final class KernelStartup {
    private static final Logger LOG = LoggerFactory.getLogger(KernelStartup.class);

    /** Imports every cell sees beyond JShell's own: the notebook API and the display wrappers. */
    static final List<String> NOTEBOOK_IMPORTS = List.of(
            "java.time.*", "static dev.glimpse.kernel.Notebook.*",
            "static dev.glimpse.display.Html.html", "static dev.glimpse.display.Markdown.markdown",
            "static dev.glimpse.display.Latex.latex", "static dev.glimpse.display.Latex.math",
            "static dev.glimpse.display.Svg.svg", "static dev.glimpse.display.Json.json");

    private final GlimpseKernel kernel;
    private final KernelConfig config;
    private final CompletableFuture<JShellEvaluator> ready = new CompletableFuture<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<KernelExtension> extensions = new CopyOnWriteArrayList<>();
    private final Set<String> installed = ConcurrentHashMap.newKeySet();

    KernelStartup(GlimpseKernel kernel, KernelConfig config) {
        this.kernel = kernel;
        this.config = config;
    }

    void begin() {
        Thread thread = new Thread(this::run, "glimpse-startup");
        thread.setDaemon(true);
        thread.start();
    }

    /** The evaluator, once start-up has finished (waits for it). */
    JShellEvaluator evaluator() {
        return ready.join();
    }

    /** Start-up problems not yet shown to the user; cleared by the call. */
    List<String> takeProblems() {
        List<String> taken = new ArrayList<>(problems);
        problems.removeAll(taken);
        return taken;
    }

    void interruptCell() {
        JShellEvaluator evaluator = ready.getNow(null);
        if (evaluator != null) {
            evaluator.interrupt();
        }
    }

    void shutdown() {
        for (KernelExtension extension : extensions) {
            try {
                extension.uninstall();
            } catch (RuntimeException e) {
                LOG.warn("Extension {} failed to uninstall", extension.getClass().getName(), e);
            }
        }
    }

    private void run() {
        long start = System.nanoTime();
        try {
            Thread.currentThread().setContextClassLoader(KernelStartup.class.getClassLoader());
            EvaluatorOptions options = EvaluatorOptions.defaults()
                    .withImports(NOTEBOOK_IMPORTS.toArray(String[]::new))
                    .withClasspath(UserClasspath.expand(config.classpath()).toArray(Path[]::new))
                    .withCompilerOptions(config.compilerOptions().toArray(String[]::new))
                    .withSourcePath(UserClasspath.sourceJars().toArray(Path[]::new));
            JShellEvaluator evaluator = JShellEvaluator.create(options);
            if (config.loadExtensions()) {
                // The snippet loader sees the kernel's classpath and GLIMPSE_CLASSPATH: extensions in either load.
                // Before the warm-up, so that their background work (the model's load) overlaps it: measured, the
                // load otherwise began 1.4 s after kernel_info and the first answer waited for it.
                installExtensionsFrom(evaluator.classLoader(), evaluator);
            }
            evaluator.warmUp();
            for (Path script : config.startupScriptPaths()) {
                evaluateScript(evaluator, script);
            }
            if (config.startupScript() != null && !config.startupScript().isBlank()) {
                evaluateStartup(evaluator, config.startupScript(), "GLIMPSE_STARTUP_SCRIPT");
            }
            ready.complete(evaluator);
            LOG.info("Kernel ready in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable t) {
            LOG.error("Kernel start-up failed", t);
            ready.completeExceptionally(t);
        }
    }

    /**
     * Installs the extensions a class loader offers that are not installed yet — at start, and again after
     * {@code %maven} or {@code %classpath} added jars — then evaluates the imports and code they asked for.
     * Failures are kept for the next cell's output.
     */
    synchronized void installExtensionsFrom(ClassLoader loader, JShellEvaluator evaluator) {
        Context context = new Context();
        for (ServiceLoader.Provider<KernelExtension> provider
                : ServiceLoader.load(KernelExtension.class, loader).stream().toList()) {
            if (!installed.add(provider.type().getName())) {
                continue;
            }
            try {
                KernelExtension extension = provider.get();
                extension.install(context);
                extensions.add(extension);
            } catch (Throwable t) {
                problems.add("Extension " + provider.type().getName() + " failed to install: " + t);
                LOG.warn("Extension {} failed to install", provider.type().getName(), t);
            }
        }
        for (ServiceLoader.Provider<Extension> provider
                : ServiceLoader.load(Extension.class, loader).stream().toList()) {
            if (!installed.add(provider.type().getName())) {
                continue;
            }
            try {
                provider.get().install(kernel);
            } catch (Throwable t) {
                problems.add("JJava extension " + provider.type().getName() + " failed to install: " + t);
            }
        }
        context.closed = true;
        for (String declaration : context.imports) {
            evaluateStartup(evaluator, "import " + declaration + ";", "extension import " + declaration);
        }
        for (String code : context.code) {
            evaluateStartup(evaluator, code, "extension start-up code");
        }
    }

    private void evaluateScript(JShellEvaluator evaluator, Path script) {
        try {
            evaluateStartup(evaluator, Files.readString(script), "start-up script " + script);
        } catch (IOException e) {
            problems.add("Cannot read the start-up script " + script + " (GLIMPSE_STARTUP_SCRIPTS_PATH): "
                    + e.getMessage());
        }
    }

    private void evaluateStartup(JShellEvaluator evaluator, String code, String what) {
        try {
            evaluator.eval(code, 1, what);
        } catch (Exception e) {
            problems.add("The " + what + " failed: " + e.getMessage());
        }
    }

    /** What extensions see while they install; their imports and code run once the batch is installed. */
    private final class Context implements ExtensionContext {
        private final List<String> imports = new ArrayList<>();
        private final List<String> code = new ArrayList<>();
        private volatile boolean closed;

        @Override
        public Renderer renderer() {
            return kernel.getRenderer();
        }

        @Override
        public MagicRegistry magics() {
            return kernel.magics();
        }

        @Override
        public void addImports(String... more) {
            requireOpen("addImports");
            for (String declaration : more) {
                imports.add(declaration.strip().replaceFirst("^import\\s+", "").replaceFirst(";$", "").strip());
            }
        }

        @Override
        public void addStartupCode(String source) {
            requireOpen("addStartupCode");
            code.add(source);
        }

        @Override
        public <T> CompletableFuture<T> background(String name, Callable<T> work) {
            CompletableFuture<T> future = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    future.complete(work.call());
                } catch (Throwable t) {
                    LOG.warn("Background work '{}' failed", name, t);
                    future.completeExceptionally(t);
                }
            }, "glimpse-" + name);
            thread.setDaemon(true);
            thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
            thread.start();
            return future;
        }

        @Override
        public boolean interruptRequested() {
            return CellInterrupt.requested();
        }

        @Override
        public String display(Object value) {
            return Notebook.display(value);
        }

        @Override
        public void updateDisplay(String displayId, Object value) {
            Notebook.updateDisplay(displayId, value);
        }

        private void requireOpen(String method) {
            if (closed) {
                throw new IllegalStateException(method + " is only possible while the extension installs");
            }
        }
    }
}
