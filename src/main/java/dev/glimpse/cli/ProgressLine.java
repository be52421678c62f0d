package dev.glimpse.cli;

import dev.glimpse.pipeline.EvalProgress;
import dev.glimpse.pipeline.EvalResult;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Evaluation progress on stderr: {@code eval 12/40  30%  correct 9 (75.0%)  last 412 ms  ~0:12 left}. On a terminal
 * the line is redrawn in place after every question; otherwise a line is printed every {@code total/20} questions
 * (at least every question for small runs), at least every {@value #QUIET_SECONDS} s, and for the last.
 */
final class ProgressLine implements EvalProgress {

    static final int QUIET_SECONDS = 10;

    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastPrinted = start;
    private int correct;
    private int drawnWidth;

    ProgressLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onResult(EvalResult result, int done, int total) {
        if (result.correct()) {
            correct++;
        }
        long now = System.nanoTime();
        String text = text(result, done, total, now);
        if (terminal) {
            // pad over the previous, possibly longer, line
            err.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
            drawnWidth = text.length();
            if (done == total) {
                err.println();
                drawnWidth = 0;
            }
            err.flush();
            return;
        }
        int step = Math.max(1, total / 20);
        if (done % step == 0 || done == total || now - lastPrinted >= QUIET_SECONDS * 1_000_000_000L) {
            err.println(text);
            lastPrinted = now;
        }
    }

    /** Ends a redrawn line that stopped before the last question (the run was interrupted). */
    void finish() {
        if (terminal && drawnWidth > 0) {
            err.println();
            drawnWidth = 0;
        }
    }

    private String text(EvalResult result, int done, int total, long now) {
        double elapsedSeconds = (now - start) / 1e9;
        double left = elapsedSeconds / done * (total - done);
        // the count padded to the total's width, so successive lines line up
        String count = String.format(Locale.ROOT, "%" + Integer.toString(total).length() + "d/%d", done, total);
        return String.format(Locale.ROOT, "eval %s  %3d%%  correct %d (%.1f%%)  last %.0f ms  %s", count,
                100 * done / total, correct, 100.0 * correct / done, result.latencyMillis(),
                done == total ? "done in " + clock(elapsedSeconds) : "~" + clock(left) + " left");
    }

    /** Seconds as m:ss, or h:mm:ss from an hour on. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
