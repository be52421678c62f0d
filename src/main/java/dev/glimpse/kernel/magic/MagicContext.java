package dev.glimpse.kernel.magic;

import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What a magic may ask of the kernel. The kernel implements it once; a magic never sees JShell or the protocol.
 */
public interface MagicContext {

    /**
     * Evaluates Java source (one or more JShell snippets, no magics) in the user's JShell session.
     *
     * @return the value of the last snippet if it is an expression, else {@code null}
     * @throws Exception the kernel's compile or evaluation error, shown to the user as for a normal cell
     */
    Object eval(String code) throws Exception;

    /**
     * Makes jars or class directories visible to user code and to the compiler, then lets extensions in them load.
     * Entries already on the class path are ignored.
     *
     * @param entries absolute paths of jars or directories that exist
     */
    void addToClasspath(List<Path> entries);

    /** Shows {@code value} as display_data, rendered with {@link #renderer()}; a {@code DisplayData} is sent as is. */
    void display(Object value);

    /** The cell's standard output: what a magic prints appears under the cell. */
    PrintStream out();

    /** The directory relative paths in magic arguments are resolved against (the notebook's directory). */
    Path workingDirectory();

    /** The kernel's renderer, for magics that render objects themselves. */
    Renderer renderer();
}
