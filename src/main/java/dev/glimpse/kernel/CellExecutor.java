package dev.glimpse.kernel;

import dev.glimpse.kernel.jshell.CellFailure;
import dev.glimpse.kernel.jshell.JShellEvaluator;
import dev.glimpse.kernel.magic.CellParser;
import dev.glimpse.kernel.magic.CellRunner;
import dev.glimpse.kernel.magic.CellSegment;
import dev.glimpse.kernel.magic.MagicContext;
import dev.glimpse.kernel.magic.MagicException;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs one cell on the cell thread: splits it into Java code and magics, evaluates the code with JShell (errors name
 * lines of the cell) and the magics through the registry, and turns every failure into an {@link ErrorReport}.
 * It is also the {@link MagicContext} magics see.
 */
final class CellExecutor implements MagicContext {
    private final GlimpseKernel kernel;
    private final CellRunner magicRunner;

    CellExecutor(GlimpseKernel kernel) {
        this.kernel = kernel;
        this.magicRunner = new CellRunner(kernel.magics());
    }

    /**
     * Runs a cell.
     *
     * @param executionCount the cell's number, which error messages use to name it ({@code In [3] line 2})
     * @return the value of its last segment, if that segment has one
     * @throws CellError for anything the user should see as an error output
     */
    Optional<Object> run(String cell, int executionCount) throws CellError {
        String cellName = "In [" + executionCount + "]";
        JShellEvaluator evaluator = kernel.evaluator();
        reportStartupProblems();
        try {
            Object value = null;
            boolean hasValue = false;
            for (CellSegment segment : CellParser.parse(cell)) {
                if (segment instanceof CellSegment.Code code) {
                    var evaluation = evaluator.eval(code.source(), code.line(), cellName);
                    evaluation.notes().forEach(System.err::println);
                    hasValue = evaluation.hasValue();
                    value = evaluation.value();
                } else {
                    value = magicRunner.run(segment, this);
                    hasValue = value != null;
                }
            }
            return hasValue ? Optional.ofNullable(value) : Optional.empty();
        } catch (Exception e) {
            throw asCellError(e);
        }
    }

    /** Evaluates one expression for {@code user_expressions}. */
    Object evaluateExpression(String expression) throws CellError {
        try {
            return kernel.evaluator().eval(expression, 1).value();
        } catch (Exception e) {
            throw asCellError(e);
        }
    }

    static CellError asCellError(Throwable e) {
        if (e instanceof CellError error) {
            return error;
        }
        if (e instanceof CellFailure failure) {
            return new CellError(new ErrorReport(failure.ename(), failure.evalue(), failure.traceback()), e);
        }
        if (e instanceof MagicException magic) {
            return new CellError(new ErrorReport("MagicError", magic.getMessage(),
                    List.of(magic.getMessage())), e);
        }
        return new CellError(ErrorReport.of(e), e);
    }

    private void reportStartupProblems() {
        for (String problem : kernel.startup().takeProblems()) {
            System.err.println(problem);
        }
    }

    @Override
    public Object eval(String code) throws Exception {
        return kernel.evaluator().eval(code, 1).value();
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        JShellEvaluator evaluator = kernel.evaluator();
        evaluator.addToClasspath(entries.toArray(Path[]::new));
        kernel.startup().installExtensionsFrom(evaluator.classLoader(), evaluator);
    }

    @Override
    public void display(Object value) {
        DisplayData data = value instanceof DisplayData d ? d : kernel.getRenderer().render(value);
        kernel.display(data);
    }

    @Override
    public PrintStream out() {
        return System.out;
    }

    @Override
    public Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }

    @Override
    public Renderer renderer() {
        return kernel.getRenderer();
    }
}
