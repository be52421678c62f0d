package dev.glimpse.extension;

import dev.glimpse.display.Html;

import java.util.List;

/**
 * The line a cell shows while it waits for the model: {@code Loading glimpse-tiny (2.4 MiB of weights) from
 * /…/models/glimpse-tiny (default model)… 1.2 s}, then what came of it, with the engine's warnings about the load
 * (e.g. that memory is tight and answers may be slow) below it.
 */
final class LoadProgress implements ModelSlot.Waiting {

    private final CellOutput output;
    private String displayId;
    private boolean showedWarnings;

    LoadProgress(CellOutput output) {
        this.output = output;
    }

    @Override
    public void waiting(ModelSlot.Loading loading, ModelSlot.State now) {
        if (!output.live()) {
            return;
        }
        String line = line(loading, now);
        List<String> warnings = now instanceof ModelSlot.Ready ready ? ready.model().info().warnings() : List.of();
        StringBuilder html = new StringBuilder("<div style=\"color:#555\">" + Html.escape(line) + "</div>");
        StringBuilder plain = new StringBuilder(line);
        for (String w : warnings) {
            html.append("<div style=\"color:#8a4b00\">⚠ ").append(Html.escape(w)).append("</div>");
            plain.append("\nWarning: ").append(w);
        }
        showedWarnings |= !warnings.isEmpty();
        Bundle bundle = new Bundle().put(Bundle.HTML, html.toString()).put(Bundle.PLAIN, plain.toString());
        if (displayId == null) {
            displayId = output.show(bundle);
        } else {
            output.update(displayId, bundle);
        }
    }

    /** Whether the cell was shown the loaded model's warnings (so a table below need not repeat them). */
    boolean showedWarnings() {
        return showedWarnings;
    }

    static String line(ModelSlot.Loading loading, ModelSlot.State now) {
        String name = loading.source().name();
        if (now instanceof ModelSlot.Ready ready) {
            var info = ready.model().info();
            return "Loaded " + name + " in " + TimingLine.duration(ready.loadMillis()) + " · "
                    + TimingLine.device(info) + " · " + info.dtype()
                    + (info.parameters() > 0 ? " · " + ModelStatusView.parameters(info.parameters()) + " parameters"
                    : "");
        }
        if (now instanceof ModelSlot.Failed) {
            return "Loading " + name + " failed (the error is below).";
        }
        if (!(now instanceof ModelSlot.Loading)) {
            return "Loading " + name + " was cancelled.";
        }
        String fetching = loading.source().progress();
        if (!fetching.isEmpty()) {
            return "Fetching " + loading.source().describe() + ": " + fetching + "… "
                    + TimingLine.duration(loading.elapsedMillis());
        }
        String size = loading.bytes() > 0 ? " (" + ModelStatusView.bytes(loading.bytes()) + " of weights)" : "";
        return "Loading " + name + size + " from " + loading.source().describe() + "… "
                + TimingLine.duration(loading.elapsedMillis());
    }

    @Override
    public boolean interrupted() {
        return output.interruptRequested();
    }
}
