package dev.glimpse.kernel.jshell;

import java.util.List;

/**
 * Cell code used a declaration that JShell accepted but cannot run yet, because something it refers to is not
 * declared: {@code void f() { g(); }} followed by {@code f()} before {@code g} exists.
 */
public final class UnresolvedReference extends CellFailure {

    private static final long serialVersionUID = 1L;

    private final String declaration;
    private final List<String> missing;

    UnresolvedReference(String declaration, List<String> missing, List<String> traceback) {
        super("UnresolvedReference", message(declaration, missing), traceback, null);
        this.declaration = declaration;
        this.missing = List.copyOf(missing);
    }

    /** The declaration that was used, such as {@code "method f()"}. */
    public String declaration() {
        return declaration;
    }

    /** What it waits for, such as {@code ["method g()"]}. */
    public List<String> missing() {
        return missing;
    }

    static String message(String declaration, List<String> missing) {
        if (missing.isEmpty()) {
            return declaration + " cannot be used: it refers to something that is not declared";
        }
        return declaration + " cannot be used until " + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " declared";
    }
}
