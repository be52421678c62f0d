package dev.glimpse.kernel.jshell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's execution engine for Glimpse: snippet classes are instrumented ({@link SnippetInstrumenter}) and loaded into
 * the {@link SnippetClassLoader} of this JVM; snippet code runs on the {@link CellRunner}'s cell thread.
 *
 * <p>What a snippet returned or threw is kept as the real object in an {@link CellRunner.Outcome}, which the evaluator
 * takes after each {@code JShell.eval}; JShell itself is only told an empty value string, so {@code toString()} of a
 * large result is never called here.
 */
final class CellExecutionControl extends DirectExecutionControl {

    private final CellRunner runner;
    private final SnippetClassLoader loader;
    private final CompilerLock compilerLock;
    private final List<CellRunner.Outcome> outcomes = new ArrayList<>();

    CellExecutionControl(SnippetClassLoader loader, CellRunner runner, CompilerLock compilerLock) {
        super(new SnippetLoaderDelegate(loader));
        this.loader = loader;
        this.runner = runner;
        this.compilerLock = compilerLock;
    }

    /** A provider that hands JShell this very instance. */
    ExecutionControlProvider provider() {
        CellExecutionControl control = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "glimpse";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
    }

    /** Forgets outcomes of earlier invocations; call before each {@code JShell.eval}. */
    void clearOutcomes() {
        outcomes.clear();
    }

    /** The outcomes of the invocations since {@link #clearOutcomes()}, in order. */
    List<CellRunner.Outcome> takeOutcomes() {
        List<CellRunner.Outcome> taken = List.copyOf(outcomes);
        outcomes.clear();
        return taken;
    }

    @Override
    public void load(ClassBytecodes[] classes)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] instrumented = new ClassBytecodes[classes.length];
        for (int i = 0; i < classes.length; i++) {
            instrumented[i] = new ClassBytecodes(classes[i].name(),
                    SnippetInstrumenter.instrument(classes[i].bytecodes()));
        }
        super.load(instrumented);
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (CellInterrupt.requested()) {
            outcomes.add(new CellRunner.Outcome.NotStarted());
            throw new StoppedException();
        }
        CellRunner.Outcome outcome;
        int holds = compilerLock.suspend();
        try {
            outcome = runner.run(doit, loader);
        } catch (OutOfMemoryError e) {
            // the heap filled up while this thread waited; report it like the cell's own error
            runner.releaseReserve();
            outcome = new CellRunner.Outcome.Threw(e);
        } finally {
            compilerLock.resume(holds);
        }
        outcomes.add(outcome);
        if (outcome instanceof CellRunner.Outcome.Threw threw) {
            // DirectExecutionControl turns this into JShell's EvalException, with frames mapped to snippet lines
            throw new InvocationTargetException(threw.thrown());
        }
        if (outcome instanceof CellRunner.Outcome.Abandoned) {
            throw new StoppedException();
        }
        return "";
    }
}
