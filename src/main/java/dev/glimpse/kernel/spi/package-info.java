/**
 * The extension SPI: a jar on the kernel's classpath lists a {@link dev.glimpse.kernel.spi.KernelExtension} in
 * {@code META-INF/services/dev.glimpse.kernel.spi.KernelExtension}; the kernel loads it once, in its own class
 * loader, on a background thread after it has started answering requests.
 */
package dev.glimpse.kernel.spi;
