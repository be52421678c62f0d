package dev.glimpse.cli;

import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.engine.hub.HubException;
import dev.glimpse.engine.hub.HubFetcher;
import dev.glimpse.engine.hub.HubModelId;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code --model} option shared by the commands: a model directory, a Hugging Face Hub id
 * ({@code zai-org/GLM-4.6V-Flash[@revision]}, fetched into the Hub cache when it is not there yet; an existing
 * directory of the same name wins), or (for commands that can use one) the URL of an OpenAI-compatible endpoint with
 * {@code --api-key} and {@code --remote-model}; without {@code --model}, the configured model
 * ({@code $GLIMPSE_MODEL}, which may be a Hub id or a URL too, else the default model).
 */
final class ModelOption {

    static final String HELP = """
              --model DIR        a GLM-4V model directory (config.json, *.safetensors, tokenizer.json);
                                 default: $GLIMPSE_MODEL, else the bundled models/glimpse-tiny
              --model ORG/NAME[@REVISION]
                                 a model on the Hugging Face Hub, e.g. zai-org/GLM-4.6V-Flash: fetched once
                                 into the Hub cache (as glimpse pull does), then loaded from there
            """;

    static final String REMOTE_HELP = """
              --model URL        or an OpenAI-compatible endpoint: glimpse serve, vLLM, SGLang
                                 (http://localhost:8000/v1) or Zhipu (https://open.bigmodel.cn/api/paas/v4/)
              --remote-model NAME
                                 the endpoint's model name, e.g. glm-4.6v-flash (default: the first it lists)
              --api-key KEY      the endpoint's API key (default: $GLIMPSE_API_KEY)
            """;

    /** Where the model is. */
    sealed interface Choice permits Local, Hub, Remote {
    }

    /** A model directory, run in this process. */
    record Local(Path directory) implements Choice {
        @Override
        public String toString() {
            return directory.toString();
        }
    }

    /** A model on the Hugging Face Hub, fetched into the Hub cache if needed, then run in this process. */
    record Hub(HubModelId id) implements Choice {
        @Override
        public String toString() {
            return id.toString();
        }
    }

    /**
     * An endpoint.
     *
     * @param url    as given
     * @param model  the served model name, or {@code null} to take the first the endpoint lists
     * @param apiKey the key, or {@code null} for none
     */
    record Remote(String url, String model, String apiKey) implements Choice {
        @Override
        public String toString() {
            return url + (model == null ? "" : " (" + model + ")");
        }
    }

    private ModelOption() {
    }

    /**
     * The model to run in this process: a directory, or a Hub id (given or configured).
     *
     * @throws UsageException when the given or configured directory is missing, naming where it came from
     */
    static Choice local(Optional<String> option, ModelLocation configured) {
        if (option.isPresent() && ModelLocation.isHubId(option.get())) {
            return new Hub(HubModelId.parse(option.get()));
        }
        if (option.isEmpty() && configured.hubId().isPresent()) {
            return new Hub(configured.hubId().get());
        }
        return new Local(resolve(option, configured));
    }

    /**
     * The model directory to load, for commands that need a local model.
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

    /**
     * The model to run: a URL (given or configured) is an endpoint, anything else a directory.
     *
     * @param remoteModel the {@code --remote-model} value, if any
     * @param apiKey      the {@code --api-key} value, else the environment's key, if any
     * @throws UsageException for a missing directory, a malformed URL, or endpoint options with a local model
     */
    static Choice choose(Optional<String> option, ModelLocation configured, Optional<String> remoteModel,
                         Optional<String> apiKey, boolean apiKeyGiven) {
        Optional<String> url = option.isPresent()
                ? option.filter(ModelLocation::isUrl)
                : configured.url();
        if (url.isPresent()) {
            try {
                OpenAiCompatibleModel.apiRoot(url.get());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--model " + e.getMessage());
            }
            return new Remote(url.get().strip(), remoteModel.orElse(null), apiKey.orElse(null));
        }
        if (remoteModel.isPresent() || apiKeyGiven) {
            throw new UsageException((remoteModel.isPresent() ? "--remote-model" : "--api-key") + " is for "
                    + "endpoints; give --model http://host:port/v1 with it, or leave it out for a local model");
        }
        return local(option, configured);
    }

    /**
     * The directory of a model run in this process: a Hub model's cached snapshot, fetched first when it is not
     * cached (progress on {@code err}).
     *
     * @throws HubException naming the repository and the fix
     */
    static Path directory(Choice choice, PrintStream err, CliEnvironment environment, String command) {
        if (choice instanceof Hub hub) {
            HubFetcher fetcher = new HubFetcher(environment.hubSettings());
            return fetcher.locate(hub.id(), new DownloadProgressLine(err, environment.stderrIsTerminal(),
                    "glimpse " + command + ": "));
        }
        if (choice instanceof Local local) {
            return local.directory();
        }
        throw new IllegalArgumentException(choice + " is an endpoint, not a model to run here");
    }

    /**
     * Loads the directory (fetching a Hub model first) or connects to the endpoint.
     *
     * @throws IllegalArgumentException when the directory is not a model
     * @throws HubException when a Hub model cannot be fetched
     * @throws dev.glimpse.engine.remote.RemoteModelException when the endpoint cannot list its models
     */
    static VisionLanguageModel open(Choice choice, PrintStream err, CliEnvironment environment, String command) {
        return open(choice, err, environment, command, null);
    }

    /** {@link #open(Choice, PrintStream, CliEnvironment, String)} with a {@code --dtype} ({@code null}: default). */
    static VisionLanguageModel open(Choice choice, PrintStream err, CliEnvironment environment, String command,
                                    ai.djl.ndarray.types.DataType dtype) {
        if (choice instanceof Remote) {
            return open(choice);
        }
        Glm4vModel model = Glm4vModel.load(directory(choice, err, environment, command),
                Glm4vModel.Options.DEFAULT.withDtype(dtype));
        printWarnings(model.info(), err, "glimpse " + command);
        return model;
    }

    /** The engine's warnings about a load (e.g. memory is tight: answers may be slow), one line each on {@code err}. */
    static void printWarnings(ModelInfo info, PrintStream err, String command) {
        for (String warning : info.warnings()) {
            err.println(command + ": warning: " + warning);
        }
    }

    /**
     * Loads the directory or connects to the endpoint.
     *
     * @throws IllegalArgumentException when the directory is not a model
     * @throws dev.glimpse.engine.remote.RemoteModelException when the endpoint cannot list its models
     */
    static VisionLanguageModel open(Choice choice) {
        return open(choice, null);
    }

    /** {@link #open(Choice)} with a {@code --dtype} for a local model ({@code null}: the engine's default). */
    static VisionLanguageModel open(Choice choice, ai.djl.ndarray.types.DataType dtype) {
        if (choice instanceof Remote r) {
            return OpenAiCompatibleModel.connect(r.url(), r.model(), r.apiKey());
        }
        if (choice instanceof Hub) {
            throw new IllegalArgumentException(choice + " must be fetched first: use open(choice, err, environment)");
        }
        return Glm4vModel.load(((Local) choice).directory(), Glm4vModel.Options.DEFAULT.withDtype(dtype));
    }
}
