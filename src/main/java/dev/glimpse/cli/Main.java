package dev.glimpse.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code glimpse} command line: dispatches to a subcommand.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (e.g. the model could not run), 2 a command line or input
 * the user must fix (unknown command or option, bad number, missing model directory, image or data file, a bad
 * data set line).
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: glimpse <command> [options]

            commands:
              ask    answer a question about images with a local GLM-4V model or an endpoint
              eval   measure a model's accuracy and latency on a JSONL file of image questions
              serve  serve a local model over an OpenAI-compatible HTTP API (/v1/chat/completions)
              pull   download a model from the Hugging Face Hub into the Hub cache (ORG/NAME[@REVISION])
              web    serve a local model with a web page to ask it about images (port 7860)

            Without --model, commands use $GLIMPSE_MODEL, else the bundled models/glimpse-tiny.
            --model and $GLIMPSE_MODEL also take a Hub id, e.g. zai-org/GLM-4.6V-Flash (fetched if not cached).
            ask and eval also take --model http://host:port/v1 (glimpse serve, vLLM, SGLang, Zhipu).

            Run 'glimpse <command> --help' for the options of a command.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // DJL logs engine discovery at INFO on stderr, where plain `ask` output puts the reasoning
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs a command line in this process's environment; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, out, err, CliEnvironment.current());
    }

    /** Runs a command line in the given environment; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err, CliEnvironment environment) {
        if (args.isEmpty()) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "ask":
                return new AskCommand(out, err, environment).run(rest);
            case "eval":
                return new EvalCommand(out, err, environment).run(rest);
            case "serve":
                return new ServeCommand(out, err, environment).run(rest);
            case "pull":
                return new PullCommand(out, err, environment).run(rest);
            case "web":
                return new WebCommand(out, err, environment, BrowserOpener.system(System.getenv())).run(rest);
            case "help", "--help", "-h":
                out.print(USAGE_TEXT);
                return OK;
            default:
                err.println("glimpse: unknown command '" + command + "'");
                err.print(USAGE_TEXT);
                return USAGE;
        }
    }
}
