package dev.glimpse.cli;

import dev.glimpse.engine.hub.HubException;
import dev.glimpse.engine.hub.HubFetcher;
import dev.glimpse.engine.hub.HubModelId;
import dev.glimpse.engine.hub.HubSettings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code glimpse pull ORG/NAME[@REVISION]}: brings a model from the Hugging Face Hub into the Hub cache, or updates
 * it to the revision's newest commit, and prints the snapshot directory on stdout.
 */
final class PullCommand {

    static final String USAGE_TEXT = """
            usage: glimpse pull ORG/NAME[@REVISION]

            Downloads a model from the Hugging Face Hub into the Hub cache, e.g.
              glimpse pull zai-org/GLM-4.6V-Flash
            and prints its directory. REVISION is a branch, tag or commit (default: main). Run again, it
            checks for a newer commit and fetches only what changed; an interrupted download resumes.
            Then --model zai-org/GLM-4.6V-Flash (ask, eval, serve), GLIMPSE_MODEL and %model load it from the
            cache without a request.

            The cache is huggingface_hub's, shared with huggingface-cli and Python:
              HF_HUB_CACHE     the cache directory (default $HF_HOME/hub, HF_HOME default ~/.cache/huggingface)
              HF_TOKEN         an access token, for gated or private models (default: the token file that
                               `hf auth login` writes)
              HF_ENDPOINT      a mirror, e.g. https://hf-mirror.com (default https://huggingface.co)
              HF_HUB_OFFLINE=1 use the cache only, never the network
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final CliEnvironment environment;

    PullCommand(PrintStream out, PrintStream err, CliEnvironment environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE_TEXT);
            return Main.OK;
        }
        HubModelId id;
        HubSettings settings;
        try {
            if (args.size() != 1 || args.get(0).startsWith("-")) {
                throw new UsageException(args.isEmpty() ? "give the model to fetch, e.g. glimpse pull "
                        + "zai-org/GLM-4.6V-Flash" : "give one model, ORG/NAME[@REVISION]; got " + String.join(" ", args));
            }
            id = HubModelId.parse(args.get(0));
            settings = environment.hubSettings();
        } catch (UsageException | IllegalArgumentException e) {
            err.println("glimpse pull: " + e.getMessage());
            err.println("Run 'glimpse pull --help' for more.");
            return Main.USAGE;
        }
        try {
            Path snapshot = new HubFetcher(settings).pull(id, new DownloadProgressLine(err,
                    environment.stderrIsTerminal(), "glimpse pull: "));
            err.println("glimpse pull: " + id + " is in " + snapshot);
            out.println(snapshot);
            return Main.OK;
        } catch (HubException e) {
            err.println("glimpse pull: " + e.getMessage());
            return e.reason() == HubException.Reason.NOT_FOUND || e.reason() == HubException.Reason.ACCESS_DENIED
                    ? Main.USAGE : Main.FAILED;
        }
    }
}
