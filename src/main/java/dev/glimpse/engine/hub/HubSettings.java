package dev.glimpse.engine.hub;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the Hub is, who we are to it, and where its files are kept, read from the same environment variables as
 * huggingface_hub so that both share one cache and one login.
 *
 * <ul>
 *   <li>{@code HF_ENDPOINT}: the Hub or a mirror (default {@value #DEFAULT_ENDPOINT}).</li>
 *   <li>{@code HF_TOKEN} (or the older {@code HUGGING_FACE_HUB_TOKEN}), else the token file {@code hf auth login}
 *       writes ({@code HF_TOKEN_PATH}, else {@code $HF_HOME/token}).</li>
 *   <li>{@code HF_HUB_CACHE} (or the older {@code HUGGINGFACE_HUB_CACHE}), else {@code $HF_HOME/hub}, where
 *       {@code HF_HOME} defaults to {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}.</li>
 *   <li>{@code HF_HUB_OFFLINE=1} (or {@code TRANSFORMERS_OFFLINE=1}): use the cache only.</li>
 * </ul>
 *
 * @param endpoint the Hub's base URL, without a trailing slash
 * @param token    the access token, or {@code null}; never shown by {@link #toString()}
 * @param cache    the cache directory ({@code …/huggingface/hub})
 * @param offline  whether to make no network request at all
 */
public record HubSettings(URI endpoint, String token, Path cache, boolean offline) {

    /** The Hub itself. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cache, "cache");
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    /** The settings of this process's environment. */
    public static HubSettings current() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The settings a given environment describes.
     *
     * @param home the user's home directory, for the default cache and token file
     * @throws IllegalArgumentException when {@code HF_ENDPOINT} is not an http(s) URL
     */
    public static HubSettings from(Map<String, String> env, Path home) {
        Path hfHome = path(env, "HF_HOME").orElse(
                path(env, "XDG_CACHE_HOME").orElse(home.resolve(".cache")).resolve("huggingface"));
        Path cache = path(env, "HF_HUB_CACHE").or(() -> path(env, "HUGGINGFACE_HUB_CACHE")).orElse(hfHome.resolve("hub"));
        String token = value(env, "HF_TOKEN");
        if (token == null) {
            token = value(env, "HUGGING_FACE_HUB_TOKEN");
        }
        if (token == null) {
            token = readTokenFile(path(env, "HF_TOKEN_PATH").orElse(hfHome.resolve("token")));
        }
        boolean offline = isTrue(value(env, "HF_HUB_OFFLINE")) || isTrue(value(env, "TRANSFORMERS_OFFLINE"));
        return new HubSettings(endpoint(value(env, "HF_ENDPOINT")), token, cache, offline);
    }

    /** The same settings with another endpoint (a test's stand-in, or a mirror). */
    public HubSettings withEndpoint(URI endpoint) {
        return new HubSettings(endpoint, token, cache, offline);
    }

    /** Whether a token will be sent. */
    public boolean hasToken() {
        return token != null;
    }

    static URI endpoint(String value) {
        String s = value == null ? DEFAULT_ENDPOINT : value.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(s, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("HF_ENDPOINT=" + value + " is not a Hub URL (" + e.getReason()
                    + "); set it like HF_ENDPOINT=https://hf-mirror.com, or unset it for " + DEFAULT_ENDPOINT, e);
        }
    }

    private static boolean isTrue(String value) {
        return value != null && TRUE.contains(value.toLowerCase(Locale.ROOT));
    }

    private static String readTokenFile(Path file) {
        try {
            return Files.isRegularFile(file) ? value(Map.of("t", Files.readString(file)), "t") : null;
        } catch (IOException e) {
            return null; // an unreadable token file is no token, as in huggingface_hub
        }
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static java.util.Optional<Path> path(Map<String, String> env, String name) {
        return java.util.Optional.ofNullable(value(env, name)).map(Path::of);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + ", cache=" + cache
                + ", offline=" + offline + "]";
    }
}
