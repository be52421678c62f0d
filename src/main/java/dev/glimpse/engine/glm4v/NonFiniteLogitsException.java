package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * The model produced NaN or infinite logits: its activations left the range of the dtype it runs in (float16 tops
 * out at 65504, and GLM-4 models are reported to exceed it) or its weights hold such values. Generation stops
 * instead of streaming garbage; the message names the dtype and the fix.
 */
public final class NonFiniteLogitsException extends IllegalStateException {

    private final String dtype;

    NonFiniteLogitsException(DataType dtype) {
        super(message(name(dtype)));
        this.dtype = name(dtype);
    }

    /** The dtype the model ran in, as the CLI spells it (e.g. {@code float16}). */
    public String dtype() {
        return dtype;
    }

    static String name(DataType dtype) {
        return dtype == DataType.BFLOAT16 ? "bfloat16" : dtype.toString().toLowerCase(Locale.ROOT);
    }

    private static String message(String dtype) {
        String fix = dtype.equals("float32")
                ? "the model's weights may be damaged: download them again, or try --dtype bfloat16"
                : dtype.equals("bfloat16")
                ? "load it with --dtype float32 (GLIMPSE_DTYPE=float32, or %model <dir> float32 in a notebook)"
                : "load it with --dtype bfloat16 (same range as float32 at half the memory) or --dtype float32 "
                        + "(GLIMPSE_DTYPE, or %model <dir> bfloat16 in a notebook)";
        return "The model produced NaN or infinite scores in " + dtype + ": its activations left the range of "
                + dtype + ". Generation was stopped; " + fix + ".";
    }
}
