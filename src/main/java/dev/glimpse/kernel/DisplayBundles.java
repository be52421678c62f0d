package dev.glimpse.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import dev.glimpse.kernel.protocol.Json;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Converts the base library's {@link DisplayData} into the {@code data}/{@code metadata}/{@code transient} JSON. */
final class DisplayBundles {
    private static final Gson GSON = new Gson();

    private DisplayBundles() {
    }

    /** The bundle as a JSON object with {@code data}, {@code metadata} and, when set, {@code transient}. */
    static ObjectNode toJson(DisplayData display) {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(GSON.toJson(display));
            if (!node.has("metadata") || node.get("metadata").isNull()) {
                node.putObject("metadata");
            }
            if (!node.has("data") || node.get("data").isNull()) {
                node.putObject("data");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A display bundle could not be converted to JSON", e);
        }
    }
}
