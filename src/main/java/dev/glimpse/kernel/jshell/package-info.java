/**
 * Evaluation of notebook cells with JShell inside the kernel JVM.
 *
 * <p>{@link dev.glimpse.kernel.jshell.JShellEvaluator} is the entry point: it evaluates cells, interrupts them,
 * answers completion, inspection and completeness requests, and extends the classpath. Cells run in this JVM, so a
 * value a cell produces is the real object. Nothing here knows about Jupyter messages; failures carry the fields a
 * Jupyter error needs ({@link dev.glimpse.kernel.jshell.CellFailure#ename()},
 * {@link dev.glimpse.kernel.jshell.CellFailure#evalue()}, {@link dev.glimpse.kernel.jshell.CellFailure#traceback()}).
 *
 * <p>Snippet bytecode is rewritten before it is loaded: every method entry and loop back edge polls
 * {@link dev.glimpse.kernel.jshell.CellInterrupt}, and calls to {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} are redirected to {@link dev.glimpse.kernel.jshell.ExitGuard}, which refuses them.
 */
package dev.glimpse.kernel.jshell;
