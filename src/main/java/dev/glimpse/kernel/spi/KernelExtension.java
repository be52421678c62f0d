package dev.glimpse.kernel.spi;

/**
 * A kernel extension, found with {@link java.util.ServiceLoader} in the kernel's class loader and installed once per
 * kernel process. JJava extensions ({@code org.dflib.jjava.jupyter.Extension}) are installed too.
 *
 * <p>{@link #install} runs on the kernel's start-up thread before the first cell is evaluated, while the kernel
 * already answers {@code kernel_info} and other requests. It should register what it offers and return; long work
 * such as loading a model goes to {@link ExtensionContext#background}.
 */
public interface KernelExtension {

    /**
     * Registers renderers, magics, imports and start-up code.
     *
     * @param context what the kernel offers to extensions
     * @throws Exception any failure; it is reported in the first cell's output and the kernel carries on
     */
    void install(ExtensionContext context) throws Exception;

    /** Frees what the extension holds. Called when the kernel shuts down. */
    default void uninstall() {
    }
}
