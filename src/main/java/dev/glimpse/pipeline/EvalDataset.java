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
 *   <li>{@code answer} (string, number or boolean, required, not blank): the expected answer;</li>
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
        String expected = text(node, "answer", where, true);
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
                    + "\"question\" and \"answer\", e.g. " + EXAMPLE);
        }
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
