package dev.glimpse.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What an evaluation item expects of an answer, one per matcher field of the JSONL line (see {@link EvalDataset}).
 * Each scores an answer 0–1 and says why it failed. Several matchers on one line combine into {@link AllOf}: the
 * answer must satisfy every one, and its score is the lowest.
 */
public sealed interface Expectation {

    /** Grades an answer against a rubric, 1–5 (the {@code judge} matcher's model call for this item). */
    @FunctionalInterface
    interface Grader {
        /** A grade that cannot be given: no judge, or none needed. */
        Grader NONE = (rubric, answer) -> {
            throw new IllegalStateException("no judge to grade this answer");
        };

        int grade(String rubric, String answer);
    }

    /** The JSONL field name of the matcher, e.g. {@code any_of}; {@code answer+regex} for several. */
    String matcher();

    /** The expectation as the failures table and the CSV show it under {@code expected}. */
    String describe();

    /** Scores the model's answer (without reasoning). */
    Score score(String answer, Grader judge);

    /** Whether scoring asks a judge model. */
    default boolean judged() {
        return false;
    }

    /** {@code "answer"}: equal after {@link AnswerText#normalize normalisation}. */
    record Exact(String answer) implements Expectation {
        public Exact {
            Objects.requireNonNull(answer, "answer");
        }

        @Override
        public String matcher() {
            return "answer";
        }

        @Override
        public String describe() {
            return answer;
        }

        @Override
        public Score score(String given, Grader judge) {
            return AnswerText.normalize(answer).equals(AnswerText.normalize(given)) ? Score.right("")
                    : Score.wrong("not equal to the expected answer");
        }
    }

    /** {@code "any_of"}: equal (normalised) to one of the answers. */
    record AnyOf(List<String> answers) implements Expectation {
        public AnyOf {
            answers = List.copyOf(answers);
        }

        @Override
        public String matcher() {
            return "any_of";
        }

        @Override
        public String describe() {
            return "any of: " + String.join(" | ", answers);
        }

        @Override
        public Score score(String given, Grader judge) {
            String g = AnswerText.normalize(given);
            return firstNormalized(answers, a -> a.equals(g)).map(a -> Score.right("equals \"" + a + "\""))
                    .orElseGet(() -> Score.wrong("equals none of the " + answers.size() + " accepted answers"));
        }
    }

    /**
     * {@code "contains_all"}: every keyword appears as a word (case-, width- and article-insensitive; Chinese
     * keywords anywhere). The score is the fraction found; correct when it reaches {@code threshold} (default 1:
     * all of them).
     */
    record ContainsAll(List<String> keywords, double threshold) implements Expectation {
        public ContainsAll {
            keywords = List.copyOf(keywords);
        }

        @Override
        public String matcher() {
            return "contains_all";
        }

        @Override
        public String describe() {
            return "contains all: " + String.join(", ", keywords);
        }

        @Override
        public Score score(String given, Grader judge) {
            String g = AnswerText.normalize(given);
            List<String> missing = keywords.stream()
                    .filter(k -> !AnswerText.containsTerm(g, AnswerText.normalize(k))).toList();
            double value = (keywords.size() - missing.size()) / (double) keywords.size();
            return Score.partial(value, threshold, missing.isEmpty() ? "" : "missing: " + String.join(", ", missing));
        }
    }

    /** {@code "contains_any"}: at least one keyword appears (as {@link ContainsAll} finds them). */
    record ContainsAny(List<String> keywords) implements Expectation {
        public ContainsAny {
            keywords = List.copyOf(keywords);
        }

        @Override
        public String matcher() {
            return "contains_any";
        }

        @Override
        public String describe() {
            return "contains any: " + String.join(", ", keywords);
        }

        @Override
        public Score score(String given, Grader judge) {
            String g = AnswerText.normalize(given);
            return firstNormalized(keywords, k -> AnswerText.containsTerm(g, k))
                    .map(k -> Score.right("contains \"" + k + "\""))
                    .orElseGet(() -> Score.wrong("contains none of: " + String.join(", ", keywords)));
        }
    }

    /** {@code "regex"}: the pattern is found somewhere in the answer (Java syntax, case-insensitive). */
    record Regex(Pattern pattern) implements Expectation {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
        }

        /** Compiles {@code regex} case-insensitively (Unicode case too). */
        public static Regex of(String regex) {
            return new Regex(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }

        @Override
        public String matcher() {
            return "regex";
        }

        @Override
        public String describe() {
            return "/" + pattern.pattern() + "/";
        }

        @Override
        public Score score(String given, Grader judge) {
            return pattern.matcher(given).find() ? Score.right("")
                    : Score.wrong("no match for /" + pattern.pattern() + "/");
        }
    }

    /** {@code "number"} (with {@code "tolerance"}, default 0): a number in the answer within the tolerance. */
    record Number(double value, double tolerance) implements Expectation {
        public Number {
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance must be 0 or more, was " + tolerance);
            }
        }

        @Override
        public String matcher() {
            return "number";
        }

        @Override
        public String describe() {
            return format(value) + (tolerance > 0 ? " ± " + format(tolerance) : "");
        }

        @Override
        public Score score(String given, Grader judge) {
            List<Double> found = NumbersInText.in(AnswerText.fold(given));
            for (double n : found) {
                if (Math.abs(n - value) <= tolerance + 1e-9) {
                    return Score.right("");
                }
            }
            if (found.isEmpty()) {
                return Score.wrong("no number in the answer");
            }
            List<String> seen = found.stream().limit(5).map(Expectation::format).toList();
            return Score.wrong("found " + String.join(", ", seen) + (found.size() > 5 ? ", …" : "")
                    + ", expected " + describe());
        }
    }

    /**
     * {@code "list"}: the expected items. Each item counts as found when one item of the answer contains it as a
     * word ({@link AnswerText#items}, {@link AnswerText#containsTerm}); recall = expected items found / expected
     * items, precision = answer items that name an expected one / answer items, and the score is their harmonic
     * mean (F1). Correct from {@code threshold} up (default {@value EvalDataset#LIST_THRESHOLD}).
     */
    record ItemList(List<String> items, double threshold) implements Expectation {
        public ItemList {
            items = List.copyOf(items);
        }

        @Override
        public String matcher() {
            return "list";
        }

        @Override
        public String describe() {
            return String.join(", ", items);
        }

        @Override
        public Score score(String given, Grader judge) {
            List<String> answered = AnswerText.items(given);
            List<String> expected = items.stream().map(AnswerText::normalize).toList();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                String term = expected.get(i);
                if (answered.stream().noneMatch(a -> AnswerText.containsTerm(a, term))) {
                    missing.add(items.get(i));
                }
            }
            List<String> extra = answered.stream()
                    .filter(a -> expected.stream().noneMatch(e -> AnswerText.containsTerm(a, e))).toList();
            double recall = (expected.size() - missing.size()) / (double) expected.size();
            double precision = answered.isEmpty() ? 0 : (answered.size() - extra.size()) / (double) answered.size();
            double f1 = recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision);
            String why = String.format(Locale.ROOT, "recall %.2f, precision %.2f", recall, precision)
                    + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                    + (extra.isEmpty() ? "" : "; extra: " + String.join(", ", extra));
            return Score.partial(f1, threshold, why);
        }
    }

    /**
     * {@code "judge"}: a model grades the answer against the rubric from 1 to 5; the score is
     * {@code (grade − 1) / 4}, correct from {@code threshold} up (default 0.75, a grade of 4).
     */
    record Judged(String rubric, double threshold) implements Expectation {
        public Judged {
            Objects.requireNonNull(rubric, "rubric");
        }

        @Override
        public String matcher() {
            return "judge";
        }

        @Override
        public String describe() {
            return "judged: " + rubric;
        }

        @Override
        public boolean judged() {
            return true;
        }

        @Override
        public Score score(String given, Grader judge) {
            int grade = judge.grade(rubric, given);
            if (grade < 1 || grade > 5) {
                throw new IllegalStateException("the judge gave " + grade + ", not a grade from 1 to 5");
            }
            return Score.partial((grade - 1) / 4.0, threshold, "judge grade " + grade + " of 5");
        }
    }

    /** Several matchers on one line: every one must hold; the score is the lowest, the reasons those that failed. */
    record AllOf(List<Expectation> parts) implements Expectation {
        public AllOf {
            parts = List.copyOf(parts);
            if (parts.size() < 2) {
                throw new IllegalArgumentException("AllOf needs two or more matchers, has " + parts.size());
            }
        }

        @Override
        public String matcher() {
            return String.join("+", parts.stream().map(Expectation::matcher).toList());
        }

        @Override
        public String describe() {
            return String.join(" and ", parts.stream().map(Expectation::describe).toList());
        }

        @Override
        public boolean judged() {
            return parts.stream().anyMatch(Expectation::judged);
        }

        @Override
        public Score score(String given, Grader judge) {
            double lowest = 1;
            boolean correct = true;
            List<String> why = new ArrayList<>();
            for (Expectation e : parts) {
                Score s = e.score(given, judge);
                lowest = Math.min(lowest, s.value());
                if (!s.correct()) {
                    correct = false;
                    why.add(e.matcher() + ": " + s.why());
                }
            }
            return new Score(lowest, correct, String.join("; ", why));
        }
    }

    /** The first of {@code candidates} (as given) whose normalised form {@code matches}. */
    private static Optional<String> firstNormalized(List<String> candidates, Predicate<String> matches) {
        return candidates.stream().filter(c -> matches.test(AnswerText.normalize(c))).findFirst();
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
