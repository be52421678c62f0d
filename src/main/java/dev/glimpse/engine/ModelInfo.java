package dev.glimpse.engine;

import java.util.List;

/**
 * Describes a loaded model.
 *
 * @param name        the model's name, e.g. the directory name or the served model id
 * @param source      where it was loaded from: a directory path or an endpoint URL
 * @param device      the device it runs on, e.g. {@code cpu()} or {@code gpu(0)}; {@code remote} for endpoints
 * @param dtype       the data type of the weights in memory, e.g. {@code float32}
 * @param parameters  number of parameters, or 0 when unknown
 * @param weightBytes bytes the weights occupy in memory, or 0 when unknown
 * @param loadMillis  time it took to load, in milliseconds
 * @param warnings    what the user should know about how it was loaded, e.g. that memory is tight and answers may
 *                    be slow; each a sentence naming the cause and the fix; empty when there is nothing to say
 */
public record ModelInfo(String name, String source, String device, String dtype,
                        long parameters, long weightBytes, long loadMillis, List<String> warnings) {

    public ModelInfo {
        warnings = List.copyOf(warnings);
    }

    /** A model loaded without warnings. */
    public ModelInfo(String name, String source, String device, String dtype, long parameters, long weightBytes,
                     long loadMillis) {
        this(name, source, device, dtype, parameters, weightBytes, loadMillis, List.of());
    }
}
