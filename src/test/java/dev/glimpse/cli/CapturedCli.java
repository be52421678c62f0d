package dev.glimpse.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The command line run in this JVM ({@link Main#run}) with its standard output and error kept for the test. */
final class CapturedCli {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code glimpse args…} in {@code environment}; returns the exit code. The output of earlier runs goes. */
    int run(CliEnvironment environment, String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), stdoutStream(), stderrStream(), environment);
    }

    /** Where a command constructed by the test writes what it would print, to be read as {@link #stdout()}. */
    PrintStream stdoutStream() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    /** Where a command constructed by the test writes its messages, to be read as {@link #stderr()}. */
    PrintStream stderrStream() {
        return new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    /** What the last run printed. */
    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run said on standard error. */
    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
