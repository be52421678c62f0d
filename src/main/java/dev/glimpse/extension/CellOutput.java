package dev.glimpse.extension;

/**
 * Where helpers show live output: below the running notebook cell, or nowhere (plain Java). Also tells whether the
 * running cell was interrupted.
 */
interface CellOutput {

    /** No notebook: nothing is shown and nothing interrupts. */
    CellOutput NONE = new CellOutput() {
        @Override
        public String show(Bundle bundle) {
            return null;
        }

        @Override
        public void update(String displayId, Bundle bundle) {
        }

        @Override
        public boolean interruptRequested() {
            return false;
        }

        @Override
        public boolean live() {
            return false;
        }
    };

    /** Shows a bundle below the running cell and returns its display id (null when nothing is shown). */
    String show(Bundle bundle);

    /** Replaces what {@link #show} showed under this id. */
    void update(String displayId, Bundle bundle);

    /** Whether the user interrupted the running cell. */
    boolean interruptRequested();

    /** Whether output is shown at all (in a notebook). */
    boolean live();
}
