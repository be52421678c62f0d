package dev.glimpse.engine.glm4v;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A checked GLM-4V model directory as downloaded from the Hugging Face Hub: config.json, the safetensors weights
 * and tokenizer.json, plus the optional generation_config.json and preprocessor_config.json.
 *
 * <p>{@link #open(Path)} checks everything that can be checked without reading the weights and fails with a
 * message naming the path and the fix.
 */
public final class ModelDirectory {

    /** Suggested download command, for messages. */
    static final String DOWNLOAD_HINT = "e.g. `hf download zai-org/GLM-4.6V-Flash --local-dir <dir>`";

    private final Path path;
    private final Glm4vConfig config;
    private final GenerationConfig generationConfig;
    private final PreprocessorConfig preprocessorConfig;

    private ModelDirectory(Path path, Glm4vConfig config, GenerationConfig generationConfig,
                           PreprocessorConfig preprocessorConfig) {
        this.path = path;
        this.config = config;
        this.generationConfig = generationConfig;
        this.preprocessorConfig = preprocessorConfig;
    }

    /** Checks a model directory and reads its configs. */
    public static ModelDirectory open(Path dir) {
        Path path = dir.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("Model directory " + path + " does not exist. Pass the directory that "
                    + "holds the model's config.json and *.safetensors files (" + DOWNLOAD_HINT + ").");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is a file, not a model directory. Pass the directory that "
                    + "holds it" + (path.getParent() == null ? "" : " (" + path.getParent() + ")") + ".");
        }
        Path configFile = path.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("No config.json in " + path + ". Pass the directory that holds the "
                    + "model's config.json and *.safetensors files" + nestedHint(path) + " (" + DOWNLOAD_HINT + ").");
        }
        Glm4vConfig config = Glm4vConfig.read(configFile);
        checkWeights(path);
        Path tokenizer = path.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("No tokenizer.json in " + path + ". Download it with the model's other "
                    + "files (" + DOWNLOAD_HINT + ").");
        }
        return new ModelDirectory(path, config, GenerationConfig.readOrEmpty(path),
                PreprocessorConfig.readFrom(path));
    }

    /** The directory (absolute). */
    public Path path() {
        return path;
    }

    /** config.json. */
    public Glm4vConfig config() {
        return config;
    }

    /** generation_config.json, or {@link GenerationConfig#EMPTY} when absent. */
    public GenerationConfig generationConfig() {
        return generationConfig;
    }

    /** The image processor's settings (defaults when the directory has none). */
    public PreprocessorConfig preprocessorConfig() {
        return preprocessorConfig;
    }

    /** tokenizer.json. */
    public Path tokenizerFile() {
        return path.resolve("tokenizer.json");
    }

    /** chat_template.jinja, which transformers 5 writes next to the tokenizer (may not exist). */
    public Path chatTemplateFile() {
        return path.resolve("chat_template.jinja");
    }

    /** Opens the weights (reads and validates every shard's header). */
    public ModelWeights openWeights() {
        return ModelWeights.open(path);
    }

    private static void checkWeights(Path path) {
        Path index = path.resolve(SafetensorsIndex.INDEX_FILE);
        if (Files.isRegularFile(index)) {
            Map<String, String> weightMap = SafetensorsIndex.readWeightMap(index);
            List<String> missing = SafetensorsIndex.missingShards(path, weightMap);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("Model directory " + path + " is missing " + missing.size()
                        + " weight shard(s) listed in " + SafetensorsIndex.INDEX_FILE + ": "
                        + String.join(", ", missing) + ". The download is incomplete; download the missing files ("
                        + DOWNLOAD_HINT + ").");
            }
        } else if (!Files.isRegularFile(path.resolve(SafetensorsIndex.SINGLE_FILE))) {
            throw new IllegalArgumentException("No weights in " + path + ": expected " + SafetensorsIndex.INDEX_FILE
                    + " and its model-*.safetensors shards, or a single " + SafetensorsIndex.SINGLE_FILE
                    + ". Download them into this directory (" + DOWNLOAD_HINT + ").");
        }
    }

    // a Hugging Face cache entry (models--org--name/snapshots/<hash>) or an extra level of nesting
    private static String nestedHint(Path path) {
        try (Stream<Path> children = Files.list(path)) {
            List<Path> candidates = children.filter(Files::isDirectory)
                    .flatMap(d -> d.getFileName().toString().equals("snapshots") ? list(d) : Stream.of(d))
                    .filter(d -> Files.isRegularFile(d.resolve("config.json")))
                    .sorted()
                    .collect(Collectors.toList());
            return candidates.isEmpty() ? "" : "; did you mean " + candidates.get(candidates.size() - 1) + "?";
        } catch (IOException e) {
            return "";
        }
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).collect(Collectors.toList()).stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
