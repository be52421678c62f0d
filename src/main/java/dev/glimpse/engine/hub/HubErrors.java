package dev.glimpse.engine.hub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Locale;

import static dev.glimpse.engine.hub.HubException.Reason;

/**
 * The messages of {@link HubException}s: each names the repository, what happened and what to do. They quote the
 * Hub's own {@code X-Error-Message} where it gives one, never the token and never a Java exception's text.
 */
final class HubErrors {

    private HubErrors() {
    }

    /** An HTTP status other than success, read with the Hub's {@code X-Error-Code} header. */
    static HubException forStatus(int status, HttpHeaders headers, HubModelId id, String what, HubSettings settings) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String hubMessage = headers.firstValue("X-Error-Message").map(m -> " (the Hub says: " + m.strip() + ")")
                .orElse("");
        String repo = id.repo();
        URI page = URI.create(settings.endpoint() + "/" + repo);
        String tokens = settings.endpoint() + "/settings/tokens";
        boolean token = settings.hasToken();
        if (code.equals("RevisionNotFound")) {
            return new HubException(Reason.NOT_FOUND, repo + " has no revision '" + id.revision() + "' on "
                    + settings.endpoint() + hubMessage + ". Give a branch, tag or commit it has after the @ (see "
                    + page + "/tree/main), or leave out @" + id.revision() + " for main.");
        }
        if (code.equals("EntryNotFound")) {
            return new HubException(Reason.NOT_FOUND, repo + "@" + id.revision() + " lists " + what + " but the Hub "
                    + "has no such file" + hubMessage + ". Try again; if it persists, the revision is being changed "
                    + "or HF_ENDPOINT's mirror is out of date.");
        }
        if (code.equals("GatedRepo")) {
            return new HubException(Reason.ACCESS_DENIED, repo + " is a gated model" + hubMessage + ". "
                    + (token ? "The token in use has no access to it yet: open " + page + " while logged in as the "
                    + "token's owner and accept the conditions (and give a fine-grained token read access to it)."
                    : "Open " + page + ", log in and accept its conditions, then create a read token at " + tokens
                    + " and set HF_TOKEN to it (or run `hf auth login`)."));
        }
        if (status == 401 && token && hubMessage.toLowerCase(Locale.ROOT).contains("invalid credentials")) {
            return new HubException(Reason.ACCESS_DENIED, "The Hub rejected the access token (HF_TOKEN or the token "
                    + "file) while fetching " + repo + hubMessage + ": it is wrong or expired. Create a new one at "
                    + tokens + " and set HF_TOKEN to it.");
        }
        if (status == 401 || status == 404 && code.equals("RepoNotFound")) {
            return new HubException(status == 401 ? Reason.ACCESS_DENIED : Reason.NOT_FOUND, repo + " was not "
                    + "found on " + settings.endpoint() + hubMessage + ". Check the name (namespace/name, e.g. "
                    + "zai-org/GLM-4.6V-Flash); " + (token ? "if it is private, the token in use cannot read it: "
                    + "use a token of an account with access." : "if it is private or gated, set HF_TOKEN to a read "
                    + "token from " + tokens + "."));
        }
        if (status == 403) {
            return new HubException(Reason.ACCESS_DENIED, "Access to " + repo + " is forbidden" + hubMessage + ". "
                    + (token ? "Give the token read access to this repository (fine-grained tokens list the "
                    + "repositories they may read) or use another token." : "Set HF_TOKEN to a read token from "
                    + tokens + "."));
        }
        if (status == 404) {
            return new HubException(Reason.NOT_FOUND, repo + " (" + what + ") was not found on "
                    + settings.endpoint() + hubMessage + ". Check the repository name and the revision after @.");
        }
        if (status == 429) {
            return new HubException(Reason.NETWORK, settings.endpoint() + " is rate-limiting requests (HTTP 429) "
                    + "while fetching " + repo + hubMessage + ". Wait a few minutes and run it again" + (token ? "."
                    : "; with HF_TOKEN set the limits are higher."));
        }
        if (status >= 500) {
            return new HubException(Reason.NETWORK, settings.endpoint() + " failed with HTTP " + status + " while "
                    + "fetching " + what + " of " + repo + hubMessage + ". The Hub or mirror has a problem: try "
                    + "again later" + (settings.endpoint().toString().equals(HubSettings.DEFAULT_ENDPOINT) ? "."
                    : ", or unset HF_ENDPOINT to use " + HubSettings.DEFAULT_ENDPOINT + "."));
        }
        return new HubException(Reason.BAD_RESPONSE, "Fetching " + what + " of " + repo + " from "
                + settings.endpoint() + " failed with HTTP " + status + hubMessage + ". Check HF_ENDPOINT and any "
                + "proxy between this machine and the Hub.");
    }

    /** The server answered, but not as the Hub would. */
    static HubException notTheHub(HubModelId id, URI url, HubSettings settings, String problem) {
        return new HubException(Reason.BAD_RESPONSE, "Fetching " + id.repo() + ": " + url.getHost()
                + " does not answer like the Hugging Face Hub: " + problem + ". Check HF_ENDPOINT (now "
                + settings.endpoint() + ") and any proxy or firewall that rewrites the answers.");
    }

    /** No connection, a timeout, or a transfer broken off. */
    static HubException network(HubModelId id, URI url, HubSettings settings, IOException e) {
        String host = url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
        boolean hub = HubClient.sameOrigin(url, settings.endpoint());
        String what = HubClient.isUnreachable(e) ? "cannot connect to " + host
                : HubClient.isTimeout(e) ? host + " did not answer in time"
                : "the connection to " + host + " broke off";
        return new HubException(Reason.NETWORK, "Fetching " + id.repo() + ": " + what
                + (hub ? "" : " (the storage host the Hub sent the download to)") + ". Check the network connection "
                + "and proxy; where huggingface.co is blocked, use a mirror: HF_ENDPOINT=https://hf-mirror.com. "
                + "Downloaded parts are kept and resumed on the next try; a model already in the cache loads "
                + "with HF_HUB_OFFLINE=1.", e);
    }

    static HubException interrupted(HubModelId id) {
        return new HubException(Reason.NETWORK, "Fetching " + id.repo() + " was interrupted; what was downloaded is "
                + "kept and resumed on the next try.");
    }

    static HubException offline(HubModelId id, HubSettings settings) {
        return new HubException(Reason.OFFLINE_NOT_CACHED, "HF_HUB_OFFLINE is set, and " + id + " is not in the "
                + "cache " + settings.cache() + (id.pinnedToCommit() ? "" : " (no complete snapshot recorded for '"
                + id.revision() + "')") + ". Fetch it once with network access (unset HF_HUB_OFFLINE; `glimpse pull "
                + id + "`), or point HF_HUB_CACHE at a cache that has it.");
    }

    static HubException diskFull(HubModelId id, long needed, long free, java.nio.file.Path where) {
        return new HubException(Reason.DISK_FULL, id.repo() + " needs " + bytes(needed) + " more on disk, but "
                + where + " has " + bytes(free) + " free. Free some space, or set HF_HUB_CACHE to a directory on a "
                + "disk with room (downloads resume where they stopped).");
    }

    static HubException diskFullWhileWriting(HubModelId id, String file, java.nio.file.Path where, IOException e) {
        return new HubException(Reason.DISK_FULL, "The disk filled up while downloading " + file + " of " + id.repo()
                + " into " + where + ". Free some space or set HF_HUB_CACHE to a disk with room; run it again to "
                + "resume.", e);
    }

    static HubException cache(HubModelId id, java.nio.file.Path where, IOException e) {
        return new HubException(Reason.CACHE, "Cannot write " + id.repo() + " into the cache at " + where + " ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Check "
                + "that the directory is writable, or set HF_HUB_CACHE to one that is.", e);
    }

    static HubException checksum(HubModelId id, String file, String algorithm, String expected, String actual,
                                 HubSettings settings) {
        return new HubException(Reason.CHECKSUM_MISMATCH, "The download of " + file + " from " + id.repo()
                + " is corrupt: its " + algorithm + " is " + actual + " but the Hub published " + expected
                + ". The bad file was deleted and nothing was added to the cache. Run it again; if it happens again, "
                + "something between here and " + settings.endpoint() + " (a proxy or mirror) alters the file.");
    }

    static HubException sizeMismatch(HubModelId id, String file, long expected, long actual) {
        return new HubException(Reason.NETWORK, "The download of " + file + " from " + id.repo() + " ended at "
                + actual + " bytes instead of " + expected + "; the partial file was deleted. Run it again.");
    }

    static String bytes(long n) {
        return ByteCount.format(n);
    }
}
