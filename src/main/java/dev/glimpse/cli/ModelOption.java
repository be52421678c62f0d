package dev.glimpse.cli;

import dev.glimpse.engine.ModelLocation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The {@code --model DIR} option shared by the commands: the given directory, else the configured model. */
final class ModelOption {

    static final String HELP = """
              --model DIR        a GLM-4V model directory (config.json, *.safetensors, tokenizer.json);
                                 default: $GLIMPSE_MODEL, else the bundled models/glimpse-tiny
            """;

    private ModelOption() {
    }

    /**
     * The model directory to load.
     *
     * @throws UsageException when the given or configured directory is missing, naming where it came from
     */
    static Path resolve(Optional<String> option, ModelLocation configured) {
        if (option.isEmpty()) {
            try {
                return configured.require("--model DIR");
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Path model = Path.of(option.get());
        if (!Files.isDirectory(model)) {
            throw new UsageException(Files.exists(model)
                    ? "--model " + model + " is a file; pass the model's directory"
                    : "--model directory " + model + " does not exist");
        }
        return model;
    }
}
