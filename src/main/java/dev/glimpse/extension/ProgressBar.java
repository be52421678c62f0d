package dev.glimpse.extension;

import dev.glimpse.display.Html;

import java.util.Locale;

/**
 * A live progress bar below the cell for runs over many items (askAll, evaluate): an HTML {@code <progress>} with
 * {@code 12 / 50 · 24% · 1.2 s each · ETA 46 s}, updated as items finish (at most every
 * {@value #THROTTLE_MILLIS} ms, and always for the last), and a closing line.
 */
final class ProgressBar {

    /*
     * Four updates a second still read as live, and each update_display_data sent while the model works costs it
     * about 1 ms on a 2-core machine (bench/extension/probe_update_cost.py): at 100 ms a 10-images-a-second run
     * sent one an image.
     */
    static final long THROTTLE_MILLIS = 250;

    private final CellOutput output;
    private final String title;
    private String displayId;
    private int total;
    private int earlier;
    private long startNanos;
    private long lastNanos;

    ProgressBar(CellOutput output, String title) {
        this.output = output;
        this.title = title;
    }

    /**
     * Shows the bar.
     *
     * @param total   items in the run
     * @param earlier items already done by an earlier run (counted as done, not in the ETA)
     */
    void start(int total, int earlier) {
        this.total = total;
        this.earlier = earlier;
        this.startNanos = System.nanoTime();
        if (output.live()) {
            displayId = output.show(bundle(earlier, "starting…"));
        }
    }

    /** An item finished; {@code done} counts every finished item, earlier runs' included. */
    void step(int done, String last) {
        long now = System.nanoTime();
        if (displayId == null || (done < total && now - lastNanos < THROTTLE_MILLIS * 1_000_000)) {
            return;
        }
        lastNanos = now;
        output.update(displayId, bundle(done, last));
    }

    /** Replaces the bar with a closing line. */
    void finish(String line, boolean stopped) {
        if (displayId == null) {
            return;
        }
        String color = stopped ? "#b00020" : "#555";
        output.update(displayId, new Bundle()
                .put(Bundle.HTML, "<div style=\"color:" + color + "\">" + Html.escape(line) + "</div>")
                .put(Bundle.PLAIN, line));
    }

    /** The status text: {@code 12 / 50 · 24% · 1.2 s each · ETA 46 s}. */
    String status(int done) {
        StringBuilder s = new StringBuilder();
        s.append(done).append(" / ").append(total);
        if (total > 0) {
            s.append(" · ").append(Math.round(100.0 * done / total)).append('%');
        }
        int ran = done - earlier;
        if (ran > 0) {
            double each = (System.nanoTime() - startNanos) / 1e6 / ran;
            s.append(" · ").append(TimingLine.duration(each)).append(" each");
            if (done < total) {
                s.append(" · ETA ").append(TimingLine.duration(each * (total - done)));
            }
        }
        if (earlier > 0) {
            s.append(" · ").append(earlier).append(" done earlier");
        }
        return s.toString();
    }

    private Bundle bundle(int done, String last) {
        String status = status(done);
        String html = String.format(Locale.ROOT, "<div><div style=\"color:#555\">%s</div>"
                        + "<progress value=\"%d\" max=\"%d\" style=\"width:320px;vertical-align:middle\"></progress> "
                        + "<span>%s</span><div style=\"color:#888;font-size:smaller\">%s</div></div>",
                Html.escape(title), done, Math.max(total, 1), Html.escape(status), Html.escape(last));
        int filled = total == 0 ? 0 : (int) Math.round(30.0 * done / total);
        String plain = title + "\n[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + status;
        return new Bundle().put(Bundle.HTML, html).put(Bundle.PLAIN, plain);
    }
}
