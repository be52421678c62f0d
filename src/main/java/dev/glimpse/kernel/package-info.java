/** The Jupyter kernel: protocol, JShell evaluation, magics, history, interrupts and the extension SPI. */
package dev.glimpse.kernel;
