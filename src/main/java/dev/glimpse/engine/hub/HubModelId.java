package dev.glimpse.engine.hub;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model repository on the Hugging Face Hub and the revision wanted: {@code zai-org/GLM-4.6V-Flash} (the
 * {@value #DEFAULT_REVISION} branch), {@code zai-org/GLM-4.6V-Flash@v1.0} (a tag or branch) or
 * {@code org/name@<40-hex commit>}.
 *
 * <p>The repository name follows the Hub's own rules: {@code namespace/name}, each part of letters, digits,
 * {@code - _ .}, neither starting nor ending with {@code -} or {@code .}, at most 96 characters, no {@code --} or
 * {@code ..}, not ending in {@code .git}.
 *
 * @param repo     {@code namespace/name}
 * @param revision a branch, tag or commit hash
 */
public record HubModelId(String repo, String revision) {

    /** The revision when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubModelId {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(revision, "revision");
        String problem = problem(repo);
        if (problem != null) {
            throw new IllegalArgumentException("'" + repo + "' is not a Hugging Face repository id: " + problem
                    + ". Write it as namespace/name, e.g. zai-org/GLM-4.6V-Flash");
        }
        if (revision.isBlank() || revision.contains("..") || revision.startsWith("/") || revision.endsWith("/")
                || revision.chars().anyMatch(c -> c <= ' ' || c == '\\')) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision of " + repo + ": give a branch, "
                    + "tag or commit hash after the @, e.g. " + repo + "@main");
        }
    }

    /**
     * Reads {@code namespace/name[@revision]}.
     *
     * @throws IllegalArgumentException naming what is wrong and how to write it
     */
    public static HubModelId parse(String text) {
        String s = text.strip();
        int at = s.indexOf('@');
        return at < 0 ? new HubModelId(s, DEFAULT_REVISION) : new HubModelId(s.substring(0, at), s.substring(at + 1));
    }

    /**
     * Whether {@code text} has the shape of a Hub id ({@code namespace/name} with an optional {@code @revision}).
     * A relative directory such as {@code models/glimpse-tiny} has that shape too: callers check for an existing
     * directory first, and an existing directory wins.
     */
    public static boolean looksLike(String text) {
        if (text == null) {
            return false;
        }
        String s = text.strip();
        int at = s.indexOf('@');
        String repo = at < 0 ? s : s.substring(0, at);
        if (problem(repo) != null) {
            return false;
        }
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the revision is a full commit hash (immutable: a cached snapshot of it never goes stale). */
    public boolean pinnedToCommit() {
        return COMMIT.matcher(revision).matches();
    }

    /** The name part: {@code GLM-4.6V-Flash}. */
    public String name() {
        return repo.substring(repo.indexOf('/') + 1);
    }

    /** The cache's directory name for the repository: {@code models--zai-org--GLM-4.6V-Flash}. */
    public String cacheFolderName() {
        return "models--" + repo.replace("/", "--");
    }

    private static String problem(String repo) {
        int slash = repo.indexOf('/');
        if (slash < 0 || slash != repo.lastIndexOf('/')) {
            return "it needs exactly one / between the namespace and the name";
        }
        if (!PART.matcher(repo.substring(0, slash)).matches() || !PART.matcher(repo.substring(slash + 1)).matches()) {
            return "use letters, digits, '-', '_' and '.', not at the start or end of a part, at most 96 each";
        }
        if (repo.contains("--") || repo.contains("..")) {
            return "'--' and '..' are not allowed";
        }
        if (repo.endsWith(".git")) {
            return "it must not end in .git";
        }
        return null;
    }

    /** {@code namespace/name@revision}, or {@code namespace/name} for the default revision. */
    @Override
    public String toString() {
        return revision.equals(DEFAULT_REVISION) ? repo : repo + "@" + revision;
    }
}
