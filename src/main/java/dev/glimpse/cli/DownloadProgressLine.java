package dev.glimpse.cli;

import dev.glimpse.engine.hub.ByteCount;
import dev.glimpse.engine.hub.DownloadEvent;
import dev.glimpse.engine.hub.DownloadListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A Hub download's progress on stderr:
 * {@code pull 4.1 GB / 20.6 GB  20%  112 MB/s  ~2:31 left  model-00002-of-00004.safetensors}. On a terminal the line
 * is redrawn in place; otherwise a line is printed every 10% and at least every {@value #QUIET_SECONDS} s.
 */
final class DownloadProgressLine implements DownloadListener {

    static final int QUIET_SECONDS = 10;

    private final PrintStream err;
    private final boolean terminal;
    private final String prefix;
    private long lastPrinted = System.nanoTime();
    private long lastTenth = -1;
    private int drawnWidth;

    /** @param prefix starts every line, e.g. {@code "glimpse pull: "} */
    DownloadProgressLine(PrintStream err, boolean terminal, String prefix) {
        this.err = err;
        this.terminal = terminal;
        this.prefix = prefix;
    }

    @Override
    public void on(DownloadEvent event) {
        if (event instanceof DownloadEvent.Planned p) {
            if (p.filesToDownload() > 0) {
                line("fetching " + p.id() + " (commit " + p.commit().substring(0, 12) + "): " + p.filesToDownload()
                        + " of " + p.files() + " files, " + bytes(p.bytesToDownload()) + " to download");
            }
        } else if (event instanceof DownloadEvent.Progress p) {
            progress(p);
        } else if (event instanceof DownloadEvent.Retrying r) {
            line("the connection broke in " + r.file() + " at " + bytes(r.at()) + "; resuming (attempt "
                    + (r.attempt() + 1) + ")");
        } else if (event instanceof DownloadEvent.FileStarted s && s.resumedFrom() > 0) {
            line("resuming " + s.file() + " at " + bytes(s.resumedFrom()) + " of " + bytes(s.size()));
        } else if (event instanceof DownloadEvent.Finished f && f.downloadedBytes() > 0) {
            line("fetched " + bytes(f.downloadedBytes()) + " in " + ProgressLine.clock(f.elapsed().toMillis() / 1000.0)
                    + " into " + f.snapshot());
        }
    }

    private void progress(DownloadEvent.Progress p) {
        String text = text(p);
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
            drawnWidth = text.length();
            if (p.done() >= p.total()) {
                err.println();
                drawnWidth = 0;
            }
            err.flush();
            return;
        }
        long now = System.nanoTime();
        long tenth = p.total() == 0 ? 10 : p.done() * 10 / p.total();
        if (tenth != lastTenth || now - lastPrinted >= QUIET_SECONDS * 1_000_000_000L) {
            err.println(text);
            lastTenth = tenth;
            lastPrinted = now;
        }
    }

    private String text(DownloadEvent.Progress p) {
        int percent = p.total() == 0 ? 100 : (int) (100 * p.done() / p.total());
        String rate = p.bytesPerSecond() > 0 ? "  " + bytes(Math.round(p.bytesPerSecond())) + "/s" : "";
        String left = p.done() >= p.total() ? "" : p.left().map(d -> "  ~" + ProgressLine.clock(d.toMillis() / 1000.0)
                + " left").orElse("");
        return String.format(Locale.ROOT, "%s%s / %s  %3d%%%s%s  %s", prefix, bytes(p.done()), bytes(p.total()),
                percent, rate, left, p.file());
    }

    private void line(String text) {
        if (terminal && drawnWidth > 0) {
            err.println();
            drawnWidth = 0;
        }
        err.println(prefix + text);
    }

    private static String bytes(long n) {
        return ByteCount.format(n);
    }
}
