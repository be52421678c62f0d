package dev.glimpse.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code glimpse} command line: dispatches to a subcommand.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (e.g. the model could not run), 2 a command line or input
 * the user must fix (unknown command or option, bad number, missing model directory or image file).
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: glimpse <command> [options]

            commands:
              ask    answer a question about images with a local GLM-4V model

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

    /** Runs a command line; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "ask":
                return new AskCommand(out, err).run(rest);
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
