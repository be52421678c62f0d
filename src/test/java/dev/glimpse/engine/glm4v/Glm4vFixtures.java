package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The transformers reference outputs in {@code src/test/resources/glm4v} (made by e-fixtures' make_fixtures.py):
 * tiny random checkpoints in the real layout, and per case the prompt ids, pixel values, positions and the
 * logits and tokens transformers computed.
 */
final class Glm4vFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Glm4vFixtures() {
    }

    static Path root() {
        try {
            return Path.of(Glm4vFixtures.class.getResource("/glm4v/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One reference case of one tiny model. */
    record Case(String model, String name, JsonNode json) {

        Path modelDir() {
            return root().resolve(model).resolve("model");
        }

        Path referenceFile() {
            return root().resolve(model).resolve("reference").resolve(name + ".safetensors");
        }

        int[] inputIds() {
            return ints(json.get("input_ids"));
        }

        List<String> images() {
            List<String> names = new ArrayList<>();
            json.get("images").forEach(n -> names.add(n.asText()));
            return names;
        }

        List<ImageGrid> grids() {
            List<ImageGrid> grids = new ArrayList<>();
            json.get("image_grid_thw").forEach(g -> grids.add(new ImageGrid(g.get(0).asInt(), g.get(1).asInt(),
                    g.get(2).asInt())));
            return grids;
        }

        /** All images' pixel_values rows, concatenated. */
        float[] pixelValues() {
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (String image : images()) {
                float[] rows = tensor(root().resolve("images").resolve(image + ".safetensors"), "pixel_values");
                parts.add(rows);
                total += rows.length;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }

        float[] reference(String array) {
            return tensor(referenceFile(), array);
        }

        /** An array of transformers' bfloat16 run ({@code reference-bf16/}, {@code make_fixtures.py --bf16}). */
        float[] bf16Reference(String array) {
            return tensor(root().resolve(model).resolve("reference-bf16").resolve(name + ".safetensors"), array);
        }

        /** The metadata of transformers' bfloat16 run: greedy tokens and their margins. */
        JsonNode bf16Json() {
            return read(root().resolve(model).resolve("reference-bf16").resolve(name + ".json"));
        }

        int[] greedyTokens() {
            return ints(json.get("greedy_tokens"));
        }

        @Override
        public String toString() {
            return model + "/" + name;
        }
    }

    /** Every (model, case) pair of the manifest. */
    static List<Case> cases() {
        JsonNode manifest = read(root().resolve("manifest.json"));
        List<Case> cases = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("configs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> config = it.next();
            for (Iterator<String> names = config.getValue().get("cases").fieldNames(); names.hasNext(); ) {
                String name = names.next();
                Path json = root().resolve(config.getKey()).resolve("reference").resolve(name + ".json");
                cases.add(new Case(config.getKey(), name, read(json)));
            }
        }
        return cases;
    }

    /** A float32 tensor of a safetensors file. */
    static float[] tensor(Path file, String name) {
        try (SafetensorsShard shard = SafetensorsShard.open(file)) {
            TensorInfo info = shard.info(name);
            if (info.dtype() != SafetensorsDtype.F32) {
                throw new IllegalStateException(name + " in " + file + " is " + info.dtype() + ", expected F32");
            }
            float[] out = new float[Math.toIntExact(info.elementCount())];
            shard.map(info).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
