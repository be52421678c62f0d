package dev.glimpse.kernel.jshell;

import java.util.Locale;

/**
 * Whether a cell's code is ready to run, as Jupyter's {@code is_complete_request} asks.
 *
 * @param status the verdict
 * @param indent for {@link Status#INCOMPLETE}: the indentation the next line should start with; empty otherwise
 */
public record CompletenessCheck(Status status, String indent) {

    /** The four answers of the Jupyter protocol. */
    public enum Status {
        /** Every snippet is complete and parses: running it now makes sense. */
        COMPLETE,
        /** More code is needed, such as the body of an opened block. */
        INCOMPLETE,
        /** A snippet is complete but cannot parse, such as {@code int x = 7q}: running it shows the error. */
        INVALID,
        /** The evaluator cannot tell. */
        UNKNOWN;

        /** The status as the protocol spells it: {@code "complete"}, {@code "incomplete"}, ... */
        public String protocolName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CompletenessCheck {
        if (status != Status.INCOMPLETE && !indent.isEmpty()) {
            throw new IllegalArgumentException("only incomplete code has an indent");
        }
    }

    static CompletenessCheck of(Status status) {
        return new CompletenessCheck(status, "");
    }

    static CompletenessCheck incomplete(String indent) {
        return new CompletenessCheck(Status.INCOMPLETE, indent);
    }
}
