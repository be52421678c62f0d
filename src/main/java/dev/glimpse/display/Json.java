package dev.glimpse.display;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Set;

/**
 * JSON to show as {@code application/json} (an interactive tree in JupyterLab), with pretty-printed text for consoles.
 * The bundle carries the parsed value, not a string, so frontends receive real JSON.
 *
 * @param value a JSON tree made of {@code Map<String, ?>}, {@code List<?>}, {@code String}, {@code Number},
 *              {@code Boolean} and {@code null}; the constructor converts any other object (records, beans, arrays)
 *              the way Jackson would serialize it
 */
public record Json(Object value) implements DisplayDataRenderable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<MIMEType> TYPES = Set.of(MIMEType.APPLICATION_JSON, MIMEType.TEXT_PLAIN);

    public Json {
        try {
            value = MAPPER.convertValue(value, Object.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot show a " + value.getClass().getName()
                    + " as JSON: " + e.getMessage() + ". Pass a Map, List, record or bean Jackson can serialize.", e);
        }
    }

    /**
     * Parses JSON text; {@code import static dev.glimpse.display.Json.json;}.
     *
     * @throws IllegalArgumentException naming the line and column if {@code text} is not valid JSON
     */
    public static Json json(String text) {
        try {
            return new Json(MAPPER.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new IllegalArgumentException("Not valid JSON at line " + where.getLineNr() + ", column "
                    + where.getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Converts an object tree (maps, lists, records, beans) to JSON the way Jackson serializes it. */
    public static Json json(Object value) {
        return new Json(value);
    }

    /** The value as indented JSON text. */
    public String prettyText() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // The value is already a plain JSON tree, so writing it cannot fail.
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Set<MIMEType> getSupportedRenderTypes() {
        return TYPES;
    }

    @Override
    public void render(RenderContext context) {
        context.renderIfRequested(MIMEType.APPLICATION_JSON, () -> value);
        context.renderIfRequested(MIMEType.TEXT_PLAIN, this::prettyText);
    }
}
