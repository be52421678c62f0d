package dev.glimpse.extension;

import dev.glimpse.kernel.spi.ExtensionContext;

/** Output below the running notebook cell, through the kernel's extension SPI. */
final class KernelCellOutput implements CellOutput {

    private final ExtensionContext context;

    KernelCellOutput(ExtensionContext context) {
        this.context = context;
    }

    @Override
    public String show(Bundle bundle) {
        return context.display(bundle);
    }

    @Override
    public void update(String displayId, Bundle bundle) {
        context.updateDisplay(displayId, bundle);
    }

    @Override
    public boolean interruptRequested() {
        return context.interruptRequested();
    }

    @Override
    public boolean live() {
        return true;
    }
}
