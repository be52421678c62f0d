package dev.glimpse.kernel.magic;

/** A {@code %%name args} command that takes the rest of the cell as its body. */
@FunctionalInterface
public interface CellMagic {
    /**
     * Runs the magic.
     *
     * @param args    the rest of the first line after the name, stripped
     * @param body    the cell without its first line
     * @param context what the kernel lets magics do
     * @return a value to show as the cell's result, or {@code null}
     * @throws MagicException for failures the user can fix; anything else is shown with its stack trace
     */
    Object run(String args, String body, MagicContext context) throws Exception;
}
