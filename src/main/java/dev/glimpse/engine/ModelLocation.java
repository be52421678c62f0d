package dev.glimpse.engine;

import dev.glimpse.engine.hub.HubModelId;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the model comes from when the user names none: the directory in the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, else the default model {@code models/glimpse-tiny} of the Glimpse installation.
 * The variable may also hold the URL of an OpenAI-compatible endpoint ({@code http://…} or {@code https://…}):
 * then {@link #url()} is set and there is no directory; or a Hugging Face Hub id ({@code zai-org/GLM-4.6V-Flash},
 * optionally {@code @revision}) that is not an existing directory: then {@link #hubId()} is set (see
 * {@link #isHubId}).
 *
 * <p>The installation directory is the system property {@value #HOME_PROPERTY} (the {@code ./glimpse} launcher sets
 * it to the repository root), else the directory above {@code target/} that holds Glimpse's jar or classes.
 *
 * <pre>{@code
 * Path dir = ModelLocation.configured().require("--model DIR");
 * }</pre>
 */
public final class ModelLocation {

    /** Environment variable naming a model directory; it wins over the default model. */
    public static final String ENVIRONMENT_VARIABLE = "GLIMPSE_MODEL";

    /** System property naming the Glimpse installation (repository root); set by the launcher. */
    public static final String HOME_PROPERTY = "glimpse.home";

    /** The default model's directory, relative to the installation. */
    public static final Path DEFAULT_MODEL = Path.of("models", "glimpse-tiny");

    /** Where a location came from. */
    public enum Origin {
        /** The {@value #ENVIRONMENT_VARIABLE} environment variable. */
        ENVIRONMENT,
        /** The installation's default model. */
        DEFAULT
    }

    private final Origin origin;
    private final Path directory;
    private final String url;
    private final HubModelId hubId;

    private ModelLocation(Origin origin, Path directory, String url) {
        this(origin, directory, url, null);
    }

    private ModelLocation(Origin origin, Path directory, String url, HubModelId hubId) {
        this.origin = origin;
        this.directory = directory;
        this.url = url;
        this.hubId = hubId;
    }

    /**
     * Whether {@code model} names a model on the Hugging Face Hub ({@code namespace/name[@revision]}) rather than a
     * directory. An existing directory always wins: {@code models/glimpse-tiny} is a directory when it exists
     * relative to the working directory, and only otherwise a Hub id.
     */
    public static boolean isHubId(String model) {
        if (model == null || isUrl(model) || !HubModelId.looksLike(model)) {
            return false;
        }
        try {
            return !Files.exists(Path.of(model.strip()));
        } catch (java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    /**
     * The name to show for a model directory: the directory's name, or for a snapshot in the Hugging Face cache
     * ({@code …/models--zai-org--GLM-4.6V-Flash/snapshots/<commit>}) the repository's name, {@code GLM-4.6V-Flash}.
     */
    public static String nameOf(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Path repo = parent == null ? null : parent.getParent();
        if (parent != null && repo != null && repo.getFileName() != null
                && parent.getFileName().toString().equals("snapshots")
                && repo.getFileName().toString().startsWith("models--")) {
            String folder = repo.getFileName().toString();
            return folder.substring(folder.lastIndexOf("--") + 2);
        }
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    /** Whether {@code model} names an endpoint ({@code http://…} or {@code https://…}) rather than a directory. */
    public static boolean isUrl(String model) {
        String s = model.strip().toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("http://") || s.startsWith("https://");
    }

    /** The configured model of this process: {@code $GLIMPSE_MODEL}, else the installation's default model. */
    public static ModelLocation configured() {
        return resolve(System.getenv(ENVIRONMENT_VARIABLE), installationHome().orElse(null));
    }

    /**
     * The configured model for a given environment, for callers that carry their own.
     *
     * @param environmentValue the value of {@value #ENVIRONMENT_VARIABLE}, or {@code null}; blank counts as unset
     * @param home             the Glimpse installation directory, or {@code null} when unknown
     */
    public static ModelLocation resolve(String environmentValue, Path home) {
        if (environmentValue != null && !environmentValue.isBlank()) {
            if (isUrl(environmentValue)) {
                return new ModelLocation(Origin.ENVIRONMENT, null, environmentValue.strip());
            }
            if (isHubId(environmentValue)) {
                return new ModelLocation(Origin.ENVIRONMENT, null, null, HubModelId.parse(environmentValue));
            }
            return new ModelLocation(Origin.ENVIRONMENT, Path.of(environmentValue.strip()), null);
        }
        return new ModelLocation(Origin.DEFAULT, home == null ? null : home.resolve(DEFAULT_MODEL), null);
    }

    /**
     * The Glimpse installation directory: the {@value #HOME_PROPERTY} system property, else the parent of the
     * {@code target/} directory this class was loaded from ({@code target/glimpse.jar} or {@code target/classes}).
     */
    public static Optional<Path> installationHome() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property.strip()));
        }
        CodeSource code = ModelLocation.class.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(code.getLocation().toURI()).toAbsolutePath();
            Path target = location.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")) {
                return Optional.ofNullable(target.getParent());
            }
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a file on disk (e.g. loaded from a network or nested jar): the home is unknown
        }
        return Optional.empty();
    }

    /** Where this location came from. */
    public Origin origin() {
        return origin;
    }

    /** The endpoint URL when {@value #ENVIRONMENT_VARIABLE} names one, else empty. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /** The Hub model when {@value #ENVIRONMENT_VARIABLE} names one (and no such directory exists), else empty. */
    public Optional<HubModelId> hubId() {
        return Optional.ofNullable(hubId);
    }

    /**
     * The model directory, or empty when {@value #ENVIRONMENT_VARIABLE} is a URL or a Hub id, or when it is the
     * default model and the installation directory is unknown.
     */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /**
     * The model directory, checked to exist.
     *
     * @param explicitHint how the caller's user names a model explicitly, e.g. {@code "--model DIR"}; used in the
     *                     message
     * @throws IllegalArgumentException saying which setting pointed where, and how to fix it
     */
    public Path require(String explicitHint) {
        Objects.requireNonNull(explicitHint, "explicitHint");
        if (url != null) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " is set to the endpoint " + url + ", but a "
                    + "model directory is needed here. Give " + explicitHint + " or point " + ENVIRONMENT_VARIABLE
                    + " at a GLM-4V model directory.");
        }
        if (hubId != null) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " is set to the Hugging Face model " + hubId
                    + ", but a model directory is needed here. Run `glimpse pull " + hubId + "` and give its "
                    + "directory, or give " + explicitHint + ".");
        }
        if (origin == Origin.ENVIRONMENT) {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " is set to " + directory + ", which "
                        + (Files.exists(directory) ? "is a file, not a model directory" : "does not exist")
                        + ". Point it at a GLM-4V model directory, unset it to use the default model ("
                        + DEFAULT_MODEL + "), or give " + explicitHint + ".");
            }
            return directory;
        }
        if (directory == null) {
            throw new IllegalArgumentException("No model given, and the default model cannot be found because the "
                    + "Glimpse installation directory is unknown. Give " + explicitHint + ", set "
                    + ENVIRONMENT_VARIABLE + " to a model directory, or run through the ./glimpse launcher (it sets -D"
                    + HOME_PROPERTY + ").");
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("No model given, and the default model " + directory + " is missing. "
                    + "Give " + explicitHint + " or set " + ENVIRONMENT_VARIABLE + " to a GLM-4V model directory, "
                    + "or restore " + DEFAULT_MODEL + " in the Glimpse installation.");
        }
        return directory;
    }

    @Override
    public String toString() {
        if (url != null) {
            return ENVIRONMENT_VARIABLE + "=" + url;
        }
        if (hubId != null) {
            return ENVIRONMENT_VARIABLE + "=" + hubId;
        }
        String where = directory == null ? "unknown (installation directory not found)" : directory.toString();
        return (origin == Origin.ENVIRONMENT ? ENVIRONMENT_VARIABLE + "=" : "default model ") + where;
    }
}
