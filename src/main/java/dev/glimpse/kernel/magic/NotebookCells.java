package dev.glimpse.kernel.magic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The code cells of a Jupyter notebook file (nbformat 4), in order. */
final class NotebookCells {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NotebookCells() {
    }

    /**
     * @throws MagicException naming the file if it is not a readable nbformat 4 notebook
     */
    static List<String> read(Path notebook) {
        JsonNode root;
        try {
            root = MAPPER.readTree(notebook.toFile());
        } catch (IOException e) {
            throw new MagicException("Cannot read notebook " + notebook + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("cells").isArray()) {
            int format = root == null ? 0 : root.path("nbformat").asInt(0);
            throw new MagicException("Not an nbformat 4 notebook: " + notebook
                    + (format > 0 && format < 4 ? " is nbformat " + format + "; open and save it in Jupyter to upgrade it."
                    : " has no \"cells\" list."));
        }
        List<String> cells = new ArrayList<>();
        for (JsonNode cell : root.get("cells")) {
            if ("code".equals(cell.path("cell_type").asText())) {
                cells.add(source(cell.path("source")));
            }
        }
        return cells;
    }

    /** nbformat stores source as one string or as a list of lines that keep their newlines. */
    private static String source(JsonNode source) {
        if (source.isArray()) {
            StringBuilder text = new StringBuilder();
            source.forEach(line -> text.append(line.asText()));
            return text.toString();
        }
        return source.asText("");
    }
}
