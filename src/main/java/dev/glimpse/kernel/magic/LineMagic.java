package dev.glimpse.kernel.magic;

/** A {@code %name args} command. */
@FunctionalInterface
public interface LineMagic {
    /**
     * Runs the magic.
     *
     * @param args    the rest of the line after the name, stripped; {@link MagicArguments#split} splits it into words
     * @param context what the kernel lets magics do
     * @return a value to show as the cell's result if this was the cell's last segment, or {@code null}
     * @throws MagicException for failures the user can fix; anything else is shown with its stack trace
     */
    Object run(String args, MagicContext context) throws Exception;
}
