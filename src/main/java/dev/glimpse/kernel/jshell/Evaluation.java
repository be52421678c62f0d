package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cell evaluated to.
 *
 * <p>Only an expression as the cell's last snippet gives a value to display: {@code x} and {@code 6 * 7} do;
 * declarations ({@code int x = 5;}), assignments ({@code x = 5;}), statements and calls of void methods do not.
 *
 * @param hasValue whether the last snippet was an expression with a value
 * @param value    the value itself, the real object (not a string), possibly {@code null}; {@code null} when
 *                 {@code hasValue} is false
 * @param typeName the expression's static type as JShell names it ({@code "int"}, {@code "List<String>"}); empty
 *                 without a value
 * @param notes    things the user should know although the cell succeeded, such as a method that cannot be called
 *                 until a type it uses is declared; one line each, meant for stderr
 */
public record Evaluation(boolean hasValue, Object value, String typeName, List<String> notes) {

    public Evaluation {
        notes = List.copyOf(notes);
        if (!hasValue && value != null) {
            throw new IllegalArgumentException("an evaluation without a value cannot carry one: " + value);
        }
    }

    static Evaluation none(List<String> notes) {
        return new Evaluation(false, null, "", notes);
    }

    Evaluation withNotes(List<String> moreNotes) {
        if (moreNotes.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(notes);
        all.addAll(moreNotes);
        return new Evaluation(hasValue, value, typeName, all);
    }
}
