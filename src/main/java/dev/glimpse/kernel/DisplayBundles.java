package dev.glimpse.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import dev.glimpse.kernel.protocol.Json;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Map;

/**
 * Converts the base library's {@link DisplayData} into the {@code data}/{@code metadata}/{@code transient} JSON.
 *
 * <p>Gson (which knows how the base library's classes serialise) builds a tree, and the tree is copied node by node
 * into Jackson's: the texts of a bundle (base64 pictures, HTML of tens of kilobytes, sent several times a second
 * while an answer streams) are passed on as they are, never escaped into JSON text and parsed back.
 */
final class DisplayBundles {
    private static final Gson GSON = new Gson();

    private DisplayBundles() {
    }

    /** The bundle as a JSON object with {@code data}, {@code metadata} and, when set, {@code transient}. */
    static ObjectNode toJson(DisplayData display) {
        JsonNode converted = jackson(GSON.toJsonTree(display));
        if (!(converted instanceof ObjectNode node)) {
            throw new IllegalStateException("A display bundle did not convert to a JSON object: " + converted);
        }
        if (!node.has("metadata") || node.get("metadata").isNull()) {
            node.putObject("metadata");
        }
        if (!node.has("data") || node.get("data").isNull()) {
            node.putObject("data");
        }
        return node;
    }

    private static JsonNode jackson(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return NullNode.getInstance();
        }
        if (element.isJsonObject()) {
            ObjectNode object = Json.object();
            for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
                object.set(entry.getKey(), jackson(entry.getValue()));
            }
            return object;
        }
        if (element.isJsonArray()) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            element.getAsJsonArray().forEach(item -> array.add(jackson(item)));
            return array;
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return BooleanNode.valueOf(primitive.getAsBoolean());
        }
        if (primitive.isNumber()) {
            return number(primitive.getAsNumber());
        }
        return TextNode.valueOf(primitive.getAsString());
    }

    // the node Jackson makes when it reads the number's JSON text, as it did when bundles went through text
    private static JsonNode number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof Long && n.longValue() == n.intValue()) {
            return IntNode.valueOf(n.intValue());
        }
        if (n instanceof Long) {
            return LongNode.valueOf(n.longValue());
        }
        if (n instanceof Double) {
            return DoubleNode.valueOf(n.doubleValue());
        }
        try {
            return Json.MAPPER.readTree(n.toString()); // Float (as its shortest text), big and lazily parsed numbers
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A display bundle holds a number JSON cannot write: " + n, e);
        }
    }
}
