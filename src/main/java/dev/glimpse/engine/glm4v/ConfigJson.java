package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, defaulting access to one JSON object of a Hugging Face config file. Every type error names the file
 * and the key path, so a hand-edited config that breaks is easy to find.
 */
final class ConfigJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode node;
    private final String file;
    private final String path;

    private ConfigJson(JsonNode node, String file, String path) {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    /** Reads and parses a JSON file whose top level must be an object. */
    static ConfigJson read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("File not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses JSON text; {@code file} names it in error messages. */
    static ConfigJson parse(String json, String file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + "). Restore the file from the model repository.", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object at the top level");
        }
        return new ConfigJson(root, file, "");
    }

    /** The file this object came from, for messages. */
    String file() {
        return file;
    }

    /** Whether the key is written, even as {@code null}. */
    boolean contains(String key) {
        return node.has(key);
    }

    /** Whether the key is written with a non-null value. */
    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The nested object at {@code key}, or an empty object when absent or null. */
    ConfigJson child(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return new ConfigJson(MissingNode.getInstance(), file, qualified(key));
        }
        if (!v.isObject()) {
            throw typeError(key, "an object", v);
        }
        return new ConfigJson(v, file, qualified(key));
    }

    /** The raw JSON value at {@code key}, or {@code null}. */
    JsonNode rawChild(String key) {
        return node.get(key);
    }

    int integer(String key, int fallback) {
        Integer v = integerOrNull(key);
        return v == null ? fallback : v;
    }

    /** An integer, or the first element of a list of integers (transformers accepts both for sizes). */
    int integerOrFirst(String key, int fallback) {
        JsonNode v = node.get(key);
        if (v != null && v.isArray() && v.size() > 0) {
            return asInt(key, v.get(0));
        }
        return integer(key, fallback);
    }

    Integer integerOrNull(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        return asInt(key, v);
    }

    long longValue(String key, long fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw typeError(key, "an integer", v);
        }
        return v.asLong();
    }

    double number(String key, double fallback) {
        Double v = numberOrNull(key);
        return v == null ? fallback : v;
    }

    Double numberOrNull(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw typeError(key, "a number", v);
        }
        return v.asDouble();
    }

    String string(String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw typeError(key, "a string", v);
        }
        return v.asText();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw typeError(key, "true or false", v);
        }
        return v.asBoolean();
    }

    /** A list of integers; a single integer counts as a list of one (as for {@code eos_token_id}). */
    List<Integer> integers(String key, List<Integer> fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isArray()) {
            List<Integer> out = new ArrayList<>(v.size());
            for (JsonNode e : v) {
                out.add(asInt(key, e));
            }
            return List.copyOf(out);
        }
        return List.of(asInt(key, v));
    }

    List<Double> numbers(String key, List<Double> fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isNumber()) {
            return List.of(v.asDouble());
        }
        if (!v.isArray()) {
            throw typeError(key, "a list of numbers", v);
        }
        List<Double> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isNumber()) {
                throw typeError(key, "a list of numbers", v);
            }
            out.add(e.asDouble());
        }
        return List.copyOf(out);
    }

    /** An error about this object's content that names the file and key. */
    IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(file + ": " + qualified(key) + " " + problem);
    }

    private int asInt(String key, JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) <= Integer.MAX_VALUE) {
            return (int) v.asDouble();
        }
        throw typeError(key, "an integer", v);
    }

    private IllegalArgumentException typeError(String key, String expected, JsonNode actual) {
        return new IllegalArgumentException(file + ": " + qualified(key) + " must be " + expected + ", but is "
                + actual + ". Restore the file from the model repository.");
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
