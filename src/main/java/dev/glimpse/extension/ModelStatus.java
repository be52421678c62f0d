package dev.glimpse.extension;

import java.time.Instant;
import java.util.List;

/**
 * What the notebook's model slot holds, as {@code %model} and {@code modelStatus()} show it.
 *
 * @param state       {@code "loading"}, {@code "ready"}, {@code "failed"} or {@code "empty"}
 * @param name        the model's name (directory name or served model), or empty
 * @param source      where it comes from and what chose it
 * @param device      where it runs ({@code cpu}, {@code gpu 0}, {@code remote}), or empty unless ready
 * @param dtype       the weights' data type in memory, or empty unless ready
 * @param parameters  number of parameters (0 when unknown or not ready)
 * @param weightBytes bytes the weights take in memory (0 when unknown or not ready)
 * @param loadMillis  how long loading took, or has taken so far while loading
 * @param readyAt     when the model became ready, or {@code null}
 * @param error       why loading failed, or empty
 * @param warnings    what the engine said about the load (e.g. memory is tight: answers may be slow), or empty
 */
public record ModelStatus(String state, String name, String source, String device, String dtype, long parameters,
                          long weightBytes, long loadMillis, Instant readyAt, String error, List<String> warnings) {

    public ModelStatus {
        warnings = List.copyOf(warnings);
    }

    /** This status without the warnings, for a table shown right below a load line that already showed them. */
    public ModelStatus withoutWarnings() {
        return new ModelStatus(state, name, source, device, dtype, parameters, weightBytes, loadMillis, readyAt, error,
                List.of());
    }

    /** Whether the model is loaded and can answer. */
    public boolean ready() {
        return state.equals("ready");
    }

    /** Whether the model is still loading. */
    public boolean loading() {
        return state.equals("loading");
    }

    /** When the model became ready, in milliseconds since the epoch, or 0 when it is not ready. */
    public long readyAtEpochMillis() {
        return readyAt == null ? 0 : readyAt.toEpochMilli();
    }

    static ModelStatus of(ModelSlot.State state) {
        if (state instanceof ModelSlot.Ready r) {
            var info = r.model().info();
            return new ModelStatus("ready", info.name(), r.source().describe(), TimingLine.device(info), info.dtype(),
                    info.parameters(), info.weightBytes(), r.loadMillis(), r.readyAt(), "", info.warnings());
        }
        if (state instanceof ModelSlot.Loading l) {
            return new ModelStatus("loading", l.source().name(), l.source().describe(), "", "", 0, 0,
                    l.elapsedMillis(), null, "", List.of());
        }
        if (state instanceof ModelSlot.Failed f) {
            return new ModelStatus("failed", f.source().name(), f.source().describe(), "", "", 0, 0, 0, null,
                    f.error().getMessage(), List.of());
        }
        ModelSlot.Empty e = (ModelSlot.Empty) state;
        return new ModelStatus("empty", "", "", "", "", 0, 0, 0, null, e.note(), List.of());
    }
}
