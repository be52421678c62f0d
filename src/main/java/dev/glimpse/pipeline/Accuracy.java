package dev.glimpse.pipeline;

/**
 * Correct answers out of questions, for one question type or overall, with the partial credit they earned.
 *
 * @param group   the question type, or {@value EvalReport#OVERALL} for all questions
 * @param items   how many questions were answered (error rows included)
 * @param correct how many answers counted as correct
 * @param credit  the sum of the answers' scores (0–1 each): equal to {@code correct} when every matcher is all or
 *                nothing, more where partial credit was earned
 * @param errors  how many of the questions could not be answered (counted wrong)
 */
public record Accuracy(String group, int items, int correct, double credit, int errors) {
    public Accuracy {
        if (items < 0 || correct < 0 || correct > items || errors < 0 || errors > items) {
            throw new IllegalArgumentException("need 0 <= correct <= items, was " + correct + " of " + items);
        }
        if (!(credit >= 0 && credit <= items + 1e-9)) {
            throw new IllegalArgumentException("need 0 <= credit <= items, was " + credit + " of " + items);
        }
    }

    /** All-or-nothing counts: the credit equals the correct answers, no errors. */
    public Accuracy(String group, int items, int correct) {
        this(group, items, correct, correct, 0);
    }

    /** The fraction correct, 0–1; {@code NaN} when there were no questions. */
    public double accuracy() {
        return items == 0 ? Double.NaN : (double) correct / items;
    }

    /** The mean score, 0–1, partial credit included; {@code NaN} when there were no questions. */
    public double meanScore() {
        return items == 0 ? Double.NaN : credit / items;
    }
}
