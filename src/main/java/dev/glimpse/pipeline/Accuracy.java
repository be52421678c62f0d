package dev.glimpse.pipeline;

/**
 * Correct answers out of questions, for one question type or overall.
 *
 * @param group   the question type, or {@value EvalReport#OVERALL} for all questions
 * @param items   how many questions were answered
 * @param correct how many answers matched
 */
public record Accuracy(String group, int items, int correct) {
    public Accuracy {
        if (items < 0 || correct < 0 || correct > items) {
            throw new IllegalArgumentException("need 0 <= correct <= items, was " + correct + " of " + items);
        }
    }

    /** The fraction correct, 0–1; {@code NaN} when there were no questions. */
    public double accuracy() {
        return items == 0 ? Double.NaN : (double) correct / items;
    }
}
