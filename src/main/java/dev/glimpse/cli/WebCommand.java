package dev.glimpse.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glimpse web}: {@code glimpse serve} on port 7860 with its web page, opened in the browser. The page's
 * address goes to stdout (one line), so scripts that ask for port 0 learn where it is.
 */
final class WebCommand {

    /** The page's default port, the one the image Glimpse replaces used. */
    static final int DEFAULT_PORT = 7860;

    static final String USAGE_TEXT = """
            usage: glimpse web [--model DIR] [--host ADDR] [--port N] [--no-browser] [options]

            Serves a local model with a web page: drop or paste images, ask, and read the answer as it
            streams, with its reasoning, grounding boxes and timings. The page talks to the same
            OpenAI-compatible API as glimpse serve (/v1/chat/completions), which other clients can use too.

            """ + ModelOption.HELP + """
              --host ADDR        address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for
                                 every interface, then set an API key: the page asks for it)
              --port N           TCP port (default 7860; 0 picks a free one)
              --no-browser       do not open the page in a browser
              --api-key KEY      require this key (default: $GLIMPSE_API_KEY; no key when neither is set)
              --served-model-name NAME, --allowed-local-media-path DIR, --max-tokens N
                                 as for glimpse serve (glimpse serve --help)
              --help             show this help

            Ctrl-C stops.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final CliEnvironment environment;
    private final BrowserOpener browser;

    WebCommand(PrintStream out, PrintStream err, CliEnvironment environment, BrowserOpener browser) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.browser = browser;
    }

    int run(List<String> args) {
        if (args.contains("--help")) {
            out.print(USAGE_TEXT);
            return Main.OK;
        }
        ServeCommand serve = new ServeCommand(out, err, environment);
        return serve.serveUntilInterrupted("glimpse web", () -> start(serve, args));
    }

    /** Loads the model, starts serving, prints the page's address and opens it unless {@code --no-browser}. */
    ServeCommand.Serving start(ServeCommand serve, List<String> args) {
        List<String> rest = new ArrayList<>(args);
        boolean open = !rest.removeIf(a -> a.equals("--no-browser"));
        ServeCommand.Serving serving = serve.start(ServeCommand.parse(rest, environment, DEFAULT_PORT, "glimpse web"),
                "glimpse web");
        URI page = serving.server().pageUrl();
        err.println("glimpse web: the page is at " + page);
        out.println(page);
        out.flush();
        if (open) {
            String failure = browser.open(page);
            if (failure != null) {
                err.println("glimpse web: " + failure + "; open " + page + " in a browser yourself");
            }
        }
        return serving;
    }
}
