package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.types.DataType;

import java.util.Locale;
import java.util.Optional;

/**
 * The dtype a user asks for by name: {@code --dtype}, {@code GLIMPSE_DTYPE}, {@code %model DIR DTYPE}.
 */
public final class DtypeChoice {

    /** The environment variable that chooses the dtype when no option does. */
    public static final String ENVIRONMENT_VARIABLE = "GLIMPSE_DTYPE";

    /** The names accepted, for help texts. */
    public static final String NAMES = "bfloat16, float32 or float16";

    private DtypeChoice() {
    }

    /**
     * {@code bfloat16} (or {@code bf16}), {@code float32} ({@code fp32}), {@code float16} ({@code fp16}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DataType parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "bfloat16", "bf16" -> DataType.BFLOAT16;
            case "float32", "fp32" -> DataType.FLOAT32;
            case "float16", "fp16", "half" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("Unknown dtype '" + name + "': use " + NAMES);
        };
    }

    /**
     * The dtype named by {@value #ENVIRONMENT_VARIABLE} in {@code environmentValue}, if set.
     *
     * @throws IllegalArgumentException naming the variable and the accepted values when it names none
     */
    public static Optional<DataType> fromEnvironment(String environmentValue) {
        if (environmentValue == null || environmentValue.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(environmentValue));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + "=" + environmentValue + " is not a dtype: use "
                    + NAMES + ", or unset it for the hardware's default", e);
        }
    }

    /** The dtype's name as the options spell it. */
    public static String name(DataType dtype) {
        return NonFiniteLogitsException.name(dtype);
    }
}
