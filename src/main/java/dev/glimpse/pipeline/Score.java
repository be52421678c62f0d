package dev.glimpse.pipeline;

/**
 * How well one answer meets its {@link Expectation}.
 *
 * @param value   the credit, 0–1: 1 or 0 for all-or-nothing matchers, a fraction for partial credit ({@code list},
 *                {@code contains_all}, {@code judge})
 * @param correct whether it counts as correct (the value reaches the item's threshold)
 * @param why     for a wrong answer, why it failed (e.g. {@code missing: desk; extra: lamp}); for a right one, what
 *                matched, or empty
 */
public record Score(double value, boolean correct, String why) {

    public Score {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("a score is between 0 and 1, was " + value);
        }
        java.util.Objects.requireNonNull(why, "why");
    }

    /** Full credit. */
    static Score right(String why) {
        return new Score(1, true, why);
    }

    /** No credit. */
    static Score wrong(String why) {
        return new Score(0, false, why);
    }

    /** Partial credit {@code value}, correct from {@code threshold} up. */
    static Score partial(double value, double threshold, String why) {
        return new Score(value, value >= threshold - 1e-9, why);
    }
}
