package dev.glimpse.pipeline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An evaluation data set read from a JSON Lines file: one JSON object per line,
 *
 * <pre>{@code
 * {"image": "images/red-circle.png", "question": "What colour is the circle?", "answer": "red", "type": "color"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code image} (string, required): the image file, relative to the JSONL file's directory, or absolute;
 *       it must exist (it is decoded when its question is asked);</li>
 *   <li>{@code question} (string, required, not blank);</li>
 *   <li>a matcher (required), what the answer must be; see {@link Expectation}:
 *     <ul>
 *       <li>{@code answer} (string, number or boolean): equal after {@link AnswerText#normalize normalisation};</li>
 *       <li>{@code any_of} (list of strings): equal to one of them;</li>
 *       <li>{@code contains_all} / {@code contains_any} (list of keywords): every / some keyword appears;</li>
 *       <li>{@code regex} (string): a Java regular expression found in the answer, case-insensitive;</li>
 *       <li>{@code number} (number) with {@code tolerance} (number, default 0): a number in the answer within
 *           the tolerance;</li>
 *       <li>{@code list} (list of strings): the expected items, scored by recall and precision;</li>
 *       <li>{@code judge} (string): a rubric a model grades the answer by, 1–5;</li>
 *     </ul>
 *     several matchers on one line must all hold (the score is the lowest);</li>
 *   <li>{@code threshold} (number 0–1, optional): the score that counts as correct for the partial-credit
 *       matchers {@code list} (default {@value #LIST_THRESHOLD}), {@code contains_all} (default 1) and
 *       {@code judge} (default {@value #JUDGE_THRESHOLD}, a grade of 4);</li>
 *   <li>{@code type} (string, optional): the kind of question, for accuracy per type; absent, null or blank
 *       means {@value #DEFAULT_TYPE}.</li>
 * </ul>
 *
 * <p>Other fields are ignored; blank lines are skipped; the file is UTF-8 (a byte-order mark is allowed). Every
 * problem is reported as {@code file:line: what is wrong}, with the fix.
 *
 * @param source the JSONL file
 * @param items  the questions, in file order
 */
public record EvalDataset(Path source, List<EvalItem> items) {

    /** The type of items whose line has no {@code type}. */
    public static final String DEFAULT_TYPE = "default";

    /** The F1 score from which a {@code list} answer counts as correct, unless the line gives a threshold. */
    public static final double LIST_THRESHOLD = 0.8;

    /** The score from which a {@code judge} answer counts as correct: a grade of 4 of 5. */
    public static final double JUDGE_THRESHOLD = 0.75;

    /** The matcher fields, in the order their checks run when a line has several. */
    public static final List<String> MATCHERS =
            List.of("answer", "any_of", "contains_all", "contains_any", "regex", "number", "list", "judge");

    private static final String EXAMPLE = "{\"image\": \"cat.png\", \"question\": \"What animal is this?\", "
            + "\"answer\": \"cat\", \"type\": \"animal\"}";

    // two objects on one line are an error, not a silently dropped second question
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public EvalDataset {
        Objects.requireNonNull(source, "source");
        items = List.copyOf(items);
    }

    /**
     * Reads and checks a JSONL file.
     *
     * @throws IllegalArgumentException naming the file (and line) for a missing or empty file, a line that is not
     *                                  a JSON object, a missing or blank field, a field of the wrong kind, or an
     *                                  image file that does not exist
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static EvalDataset read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("Data set " + file + " is a directory; give a .jsonl file with one "
                    + "question per line, e.g. " + EXAMPLE);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Data set " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Data set " + file + " is not UTF-8 text; save it as UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read data set " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (!line.isBlank()) {
                items.add(item(file, i + 1, line, base));
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Data set " + file + " has no questions; write one JSON object per "
                    + "line, e.g. " + EXAMPLE);
        }
        return new EvalDataset(file, items);
    }

    private static EvalItem item(Path file, int lineNumber, String line, Path base) {
        String where = file + ":" + lineNumber + ": ";
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String column = at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr();
            throw new IllegalArgumentException(where + "not valid JSON" + column + " (" + e.getOriginalMessage()
                    + "). Each line must be one JSON object, e.g. " + EXAMPLE, e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + "expected a JSON object, found "
                    + (node == null ? "nothing" : kind(node)) + ". Each line must be one object, e.g. " + EXAMPLE);
        }
        String image = text(node, "image", where, false);
        String question = text(node, "question", where, false);
        Expectation expected = expectation(node, where);
        String type = optionalType(node, where);
        Path imagePath;
        try {
            imagePath = base.resolve(image).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(where + "\"image\" " + quote(image) + " is not a valid path", e);
        }
        if (!Files.exists(imagePath)) {
            throw new IllegalArgumentException(where + "image file " + imagePath + " does not exist. Image paths are "
                    + "relative to the data set's directory (" + base + ")");
        }
        if (!Files.isRegularFile(imagePath)) {
            throw new IllegalArgumentException(where + "image " + imagePath + " is a directory; give an image file");
        }
        return new EvalItem(lineNumber, image, imagePath, question, expected, type);
    }

    private static String text(JsonNode object, String field, String where, boolean scalarsAllowed) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + "missing \"" + field + "\". Each line needs \"image\", "
                    + "\"question\" and an expected answer, e.g. " + EXAMPLE);
        }
        return scalar(value, field, where, scalarsAllowed);
    }

    private static String scalar(JsonNode value, String field, String where, boolean scalarsAllowed) {
        boolean ok = value.isTextual() || (scalarsAllowed && (value.isNumber() || value.isBoolean()));
        if (!ok) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be a string"
                    + (scalarsAllowed ? " (or a number)" : "") + ", found " + kind(value));
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" is empty");
        }
        return text;
    }

    private static Expectation expectation(JsonNode node, String where) {
        List<Expectation> parts = new ArrayList<>();
        Double threshold = optionalNumber(node, "threshold", where);
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(where + "\"threshold\" is a score between 0 and 1 (0.8 for 80 %), was "
                    + threshold);
        }
        boolean partial = false;
        for (String field : MATCHERS) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            switch (field) {
                case "answer" -> parts.add(new Expectation.Exact(scalar(value, field, where, true)));
                case "any_of" -> parts.add(new Expectation.AnyOf(strings(value, field, where)));
                case "contains_all" -> {
                    parts.add(new Expectation.ContainsAll(strings(value, field, where), threshold == null ? 1
                            : threshold));
                    partial = true;
                }
                case "contains_any" -> parts.add(new Expectation.ContainsAny(strings(value, field, where)));
                case "regex" -> parts.add(regex(scalar(value, field, where, false), where));
                case "number" -> {
                    if (!value.isNumber()) {
                        throw new IllegalArgumentException(where + "\"number\" must be a number, e.g. \"number\": 3, "
                                + "found " + kind(value));
                    }
                    Double tolerance = optionalNumber(node, "tolerance", where);
                    if (tolerance != null && tolerance < 0) {
                        throw new IllegalArgumentException(where + "\"tolerance\" must be 0 or more, was " + tolerance);
                    }
                    parts.add(new Expectation.Number(value.asDouble(), tolerance == null ? 0 : tolerance));
                }
                case "list" -> {
                    parts.add(new Expectation.ItemList(strings(value, field, where), threshold == null
                            ? LIST_THRESHOLD : threshold));
                    partial = true;
                }
                case "judge" -> {
                    parts.add(new Expectation.Judged(scalar(value, field, where, false), threshold == null
                            ? JUDGE_THRESHOLD : threshold));
                    partial = true;
                }
                default -> throw new IllegalStateException(field);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(where + "missing the expected answer: give one of "
                    + String.join(", ", MATCHERS.stream().map(EvalDataset::quote).toList()) + ", e.g. " + EXAMPLE);
        }
        if (node.has("tolerance") && !node.has("number")) {
            throw new IllegalArgumentException(where + "\"tolerance\" goes with \"number\", e.g. "
                    + "\"number\": 3.5, \"tolerance\": 0.5");
        }
        if (threshold != null && !partial) {
            throw new IllegalArgumentException(where + "\"threshold\" applies to the partial-credit matchers "
                    + "\"list\", \"contains_all\" and \"judge\"; this line has none of them");
        }
        return parts.size() == 1 ? parts.get(0) : new Expectation.AllOf(parts);
    }

    private static List<String> strings(JsonNode value, String field, String where) {
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be a non-empty list of strings, e.g. "
                    + "\"" + field + "\": [\"chair\", \"desk\"], found " + (value.isArray() ? "an empty list" : kind(value)));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : value) {
            out.add(scalar(v, field + "[" + out.size() + "]", where, true));
        }
        return out;
    }

    private static Expectation.Regex regex(String pattern, String where) {
        try {
            return Expectation.Regex.of(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(where + "\"regex\" " + quote(pattern) + " is not a valid Java "
                    + "regular expression: " + e.getDescription() + " near index " + e.getIndex()
                    + " (in JSON, write a backslash twice: \"\\\\d+\")", e);
        }
    }

    private static Double optionalNumber(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be a number, found " + kind(value));
        }
        return value.asDouble();
    }

    private static String optionalType(JsonNode object, String where) {
        JsonNode value = object.get("type");
        if (value == null || value.isNull()) {
            return DEFAULT_TYPE;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + "\"type\" must be a string, found " + kind(value));
        }
        return value.asText().isBlank() ? DEFAULT_TYPE : value.asText().strip();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** Number of questions. */
    public int size() {
        return items.size();
    }

    /** The question types, sorted. */
    public Set<String> types() {
        Set<String> types = new TreeSet<>();
        items.forEach(i -> types.add(i.type()));
        return types;
    }

    /** The first {@code n} questions (all of them when there are fewer). */
    public EvalDataset limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + n);
        }
        return n >= items.size() ? this : new EvalDataset(source, items.subList(0, n));
    }
}
