package dev.glimpse.pipeline;

/** Told how a batch run goes, on the running thread: for progress bars. */
public interface BatchProgress {

    /** Ignores progress. */
    BatchProgress NONE = (result, done, total) -> { };

    /**
     * Called once before the first image.
     *
     * @param total        how many images the run has
     * @param alreadyDone  how many of them the results file already answers; they are not asked again
     */
    default void started(int total, int alreadyDone) {
    }

    /**
     * Called after each image the model answered (or that failed to load) in this run, in order.
     *
     * @param result the new row
     * @param done   how many images are answered now, earlier runs' included
     * @param total  how many images the run has
     */
    void answered(BatchResult result, int done, int total);
}
