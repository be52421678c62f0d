package dev.glimpse.extension;

import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.engine.hub.ByteCount;
import dev.glimpse.engine.hub.DownloadEvent;
import dev.glimpse.engine.hub.HubException;
import dev.glimpse.engine.hub.HubFetcher;
import dev.glimpse.engine.hub.HubModelId;
import dev.glimpse.engine.hub.HubSettings;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Where a model comes from: a GLM-4V model directory loaded into this JVM, a model on the Hugging Face Hub (fetched
 * into the Hub cache, then loaded), or the URL of an OpenAI-compatible endpoint. {@link #parse} decides which from
 * the text: {@code http://} and {@code https://} are endpoints, {@code namespace/name[@revision]} is a Hub model
 * unless such a directory exists, anything else is a directory.
 *
 * <p>Configuration ({@link #configured}): {@code GLIMPSE_MODEL} (a directory or a URL), else the installation's
 * default model {@code models/glimpse-tiny}. For the endpoint {@code GLIMPSE_MODEL} names, {@code GLIMPSE_MODEL_NAME}
 * names the served model and {@code GLIMPSE_API_KEY} (or {@code OPENAI_API_KEY}) is sent as the bearer token; any
 * other endpoint gets only {@code OPENAI_API_KEY}, if set, and the model it lists first.
 */
public sealed interface ModelSource permits ModelSource.Directory, ModelSource.HubModel, ModelSource.Endpoint {

    /** Environment variable naming the served model of an endpoint. */
    String MODEL_NAME_VARIABLE = "GLIMPSE_MODEL_NAME";
    /** Environment variable with the endpoint's API key. */
    String API_KEY_VARIABLE = "GLIMPSE_API_KEY";

    /** A short name, shown while loading: the directory's name or the endpoint's model. */
    String name();

    /** Where it is and what chose it, for messages: "/models/x (GLIMPSE_MODEL)". */
    String describe();

    /** How big the model is on disk, for progress messages; 0 when unknown. */
    default long bytes() {
        return 0;
    }

    /**
     * Loads or connects to the model.
     *
     * @throws ModelUnavailableException naming the source and the fix
     */
    VisionLanguageModel open();

    /** What the load is doing before the model itself loads (a download), for progress lines; empty when nothing. */
    default String progress() {
        return "";
    }

    /**
     * A GLM-4V model directory.
     *
     * @param path   the directory
     * @param origin what chose it, e.g. {@code GLIMPSE_MODEL}, {@code default model}, {@code %model}
     */
    record Directory(Path path, String origin, ai.djl.ndarray.types.DataType dtype) implements ModelSource {

        /** In the engine's default dtype ({@code $GLIMPSE_DTYPE}, else the hardware's). */
        Directory(Path path, String origin) {
            this(path, origin, null);
        }

        public Directory {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(origin, "origin");
        }

        @Override
        public String name() {
            Path file = path.toAbsolutePath().normalize().getFileName();
            return file == null ? path.toString() : file.toString();
        }

        @Override
        public String describe() {
            return path + " (" + origin + ")";
        }

        @Override
        public long bytes() {
            try (Stream<Path> files = Files.list(path)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                        .mapToLong(p -> p.toFile().length()).sum();
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        @Override
        public VisionLanguageModel open() {
            if (!Files.isDirectory(path)) {
                throw new ModelUnavailableException("The model directory " + path.toAbsolutePath() + " ("
                        + origin + ") " + (Files.exists(path) ? "is a file" : "does not exist") + ". " + fix());
            }
            try {
                return Glm4vModel.load(path, Glm4vModel.Options.DEFAULT.withDtype(dtype));
            } catch (RuntimeException | LinkageError e) {
                throw new ModelUnavailableException("Loading the model from " + path.toAbsolutePath() + " (" + origin
                        + ") failed: " + e.getMessage() + " " + fix(), e);
            }
        }

        private String fix() {
            return origin.equals("%model")
                    ? "Give %model a GLM-4V model directory (config.json, *.safetensors, tokenizer.json)."
                    : "Point " + ModelLocation.ENVIRONMENT_VARIABLE + " at a GLM-4V model directory (config.json, "
                    + "*.safetensors, tokenizer.json) and restart the kernel, or load one now with %model DIR.";
        }
    }

    /**
     * A model on the Hugging Face Hub: its cached snapshot when complete (no request), else fetched into the Hub
     * cache first, then loaded as a directory. {@link #progress()} tells how the download goes.
     */
    final class HubModel implements ModelSource {
        private final HubModelId id;
        private final String origin;
        private final HubSettings settings;
        private final AtomicReference<DownloadEvent> latest = new AtomicReference<>();

        /**
         * @param origin   what chose it, e.g. {@code GLIMPSE_MODEL}, {@code %model}
         * @param settings the Hub, token and cache to use
         */
        public HubModel(HubModelId id, String origin, HubSettings settings) {
            this.id = Objects.requireNonNull(id, "id");
            this.origin = Objects.requireNonNull(origin, "origin");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        public HubModelId id() {
            return id;
        }

        @Override
        public String name() {
            return id.name();
        }

        @Override
        public String describe() {
            return id + " on the Hugging Face Hub (" + origin + ")";
        }

        @Override
        public long bytes() {
            return new HubFetcher(settings).cached(id).map(dir -> new Directory(dir, origin).bytes()).orElse(0L);
        }

        @Override
        public VisionLanguageModel open() {
            Path snapshot;
            try {
                snapshot = new HubFetcher(settings).locate(id, latest::set);
            } catch (HubException e) {
                throw new ModelUnavailableException(e.getMessage(), e);
            } finally {
                latest.set(null);
            }
            return new Directory(snapshot, origin).open();
        }

        @Override
        public String progress() {
            DownloadEvent event = latest.get();
            if (event instanceof DownloadEvent.Planned p) {
                return "downloading " + ByteCount.format(p.bytesToDownload()) + " (" + p.filesToDownload() + " files)";
            }
            if (event instanceof DownloadEvent.Progress p) {
                int percent = p.total() == 0 ? 100 : (int) (100 * p.done() / p.total());
                return "downloaded " + ByteCount.format(p.done()) + " of " + ByteCount.format(p.total()) + " ("
                        + percent + "%)" + (p.bytesPerSecond() > 0 ? " · " + ByteCount.format(Math.round(
                        p.bytesPerSecond())) + "/s" : "") + p.left().map(d -> " · about " + TimingLine.duration(
                        d.toMillis()) + " left").orElse("") + " · " + p.file();
            }
            if (event instanceof DownloadEvent.Retrying r) {
                return "the connection broke in " + r.file() + "; resuming at " + ByteCount.format(r.at());
            }
            return event == null ? "" : "asking the Hub";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HubModel h && h.id.equals(id) && h.origin.equals(origin);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, origin);
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "HubModel[" + describe() + ", " + settings + "]";
        }
    }

    /**
     * An OpenAI-compatible endpoint (a {@code /v1} base URL).
     *
     * @param baseUrl   the base URL, e.g. {@code http://localhost:8000/v1}
     * @param modelName the served model to ask, or {@code null} to let the client choose
     * @param apiKey    the bearer token, or {@code null}
     */
    record Endpoint(URI baseUrl, String modelName, String apiKey) implements ModelSource {
        public Endpoint {
            Objects.requireNonNull(baseUrl, "baseUrl");
        }

        @Override
        public String name() {
            return modelName != null ? modelName : baseUrl.getHost();
        }

        @Override
        public String describe() {
            return baseUrl + (modelName == null ? "" : " (model " + modelName + ")");
        }

        @Override
        public VisionLanguageModel open() {
            try {
                // exactly this key: connect() would fall back to GLIMPSE_API_KEY, meant for GLIMPSE_MODEL only
                return OpenAiCompatibleModel.connectWithKey(baseUrl.toString(), modelName, apiKey,
                        OpenAiCompatibleModel.Options.DEFAULT);
            } catch (RuntimeException e) {
                throw new ModelUnavailableException("Connecting to " + baseUrl + " failed: " + e.getMessage()
                        + ". Check the URL (an OpenAI-compatible /v1 base), " + MODEL_NAME_VARIABLE + " and "
                        + API_KEY_VARIABLE + ".", e);
            }
        }

        /** Never shows the API key. */
        @Override
        public String toString() {
            return "Endpoint[" + describe() + (apiKey == null ? "" : ", API key set") + "]";
        }
    }

    /**
     * Reads a model location: an {@code http(s)://} URL is an endpoint, {@code namespace/name[@revision]} a Hub
     * model unless that directory exists (relative to {@code base}), anything else a directory.
     *
     * @param text   a directory path or a URL
     * @param origin what gave it, for messages
     * @param env    the environment, for an endpoint's model name and API key (those of {@code GLIMPSE_MODEL} go
     *               to that URL only)
     */
    static ModelSource parse(String text, String origin, Path base, Map<String, String> env) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(s);
                if (uri.getHost() == null) {
                    throw new URISyntaxException(s, "no host");
                }
                // GLIMPSE_MODEL_NAME and GLIMPSE_API_KEY belong to the configured endpoint only: in the container the
                // key is the Jupyter token, which must never go to another server a notebook names
                if (isConfiguredEndpoint(uri, env)) {
                    String key = env.getOrDefault(API_KEY_VARIABLE, env.get("OPENAI_API_KEY"));
                    return new Endpoint(uri, blankToNull(env.get(MODEL_NAME_VARIABLE)), blankToNull(key));
                }
                return new Endpoint(uri, null, blankToNull(env.get("OPENAI_API_KEY")));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + s + "' (" + origin + ") is not a valid URL: " + e.getReason()
                        + ". Write it like http://localhost:8000/v1", e);
            }
        }
        Path path = Path.of(s);
        Path resolved = base == null ? path : base.resolve(path);
        if (HubModelId.looksLike(s) && !Files.exists(resolved)) {
            return new HubModel(HubModelId.parse(s), origin, HubSettings.from(env,
                    Path.of(System.getProperty("user.home"))));
        }
        return new Directory(resolved, origin);
    }

    /** The model this process is configured with: {@code GLIMPSE_MODEL}, else the default model. */
    static ModelSource configured() {
        return configured(System.getenv(), ModelLocation.installationHome().orElse(null));
    }

    /** The configured model for a given environment and installation directory. */
    static ModelSource configured(Map<String, String> env, Path home) {
        String value = env.get(ModelLocation.ENVIRONMENT_VARIABLE);
        if (value != null && !value.isBlank()) {
            return parse(value, ModelLocation.ENVIRONMENT_VARIABLE, null, env);
        }
        ModelLocation location = ModelLocation.resolve(null, home);
        return location.directory().<ModelSource>map(dir -> new Directory(dir, "default model"))
                .orElseGet(() -> new Directory(ModelLocation.DEFAULT_MODEL, "default model; the Glimpse installation "
                        + "directory is unknown, run the kernel through ./glimpse"));
    }

    /** Whether {@code uri} is the endpoint {@code GLIMPSE_MODEL} names, up to case, default port and end slashes. */
    private static boolean isConfiguredEndpoint(URI uri, Map<String, String> env) {
        String configured = env.get(ModelLocation.ENVIRONMENT_VARIABLE);
        if (configured == null || configured.isBlank()) {
            return false;
        }
        try {
            return sameEndpoint(uri, new URI(configured.strip()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean sameEndpoint(URI a, URI b) {
        return a.getScheme() != null && b.getScheme() != null && a.getHost() != null && b.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b) && Objects.equals(a.getRawUserInfo(), b.getRawUserInfo())
                && trimmedPath(a).equals(trimmedPath(b)) && Objects.equals(a.getRawQuery(), b.getRawQuery());
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String trimmedPath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.replaceAll("/+$", "");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
