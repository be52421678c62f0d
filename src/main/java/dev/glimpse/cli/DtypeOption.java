package dev.glimpse.cli;

import ai.djl.ndarray.types.DataType;
import dev.glimpse.engine.glm4v.DtypeChoice;

import java.util.Optional;

/** {@code --dtype}: what a local model computes in; default {@code $GLIMPSE_DTYPE}, else the hardware's choice. */
final class DtypeOption {

    static final String HELP = """
              --dtype T          bfloat16, float32 or float16 for a local model (default: $GLIMPSE_DTYPE, else
                                 bfloat16 where the CPU or GPU computes it natively, else float32 / float16 on a GPU)
            """;

    private DtypeOption() {
    }

    /**
     * The dtype asked for, or {@code null} for the engine's default (which reads {@code $GLIMPSE_DTYPE}).
     *
     * @throws UsageException naming the accepted values
     */
    static DataType parse(Optional<String> value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return DtypeChoice.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dtype " + value.get() + " is not a dtype: use " + DtypeChoice.NAMES);
        }
    }
}
