package dev.glimpse.pipeline;

/** Told after each question of an evaluation, on the evaluating thread: for progress bars and live tables. */
@FunctionalInterface
public interface EvalProgress {

    /** Ignores progress. */
    EvalProgress NONE = (result, done, total) -> { };

    /**
     * Called once per answered question, in order.
     *
     * @param result the question's result
     * @param done   how many questions are answered, this one included (1-based)
     * @param total  how many questions the run has
     */
    void onResult(EvalResult result, int done, int total);
}
