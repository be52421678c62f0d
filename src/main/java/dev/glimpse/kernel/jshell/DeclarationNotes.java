package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

/**
 * The notes a cell gets although it succeeded: declarations that JShell accepted but cannot use yet (a method calling
 * a method not declared yet), declarations of earlier cells that this cell broke, and variables it reset by changing
 * their type. JShell reports these as snippet states, not errors; without the notes they would pass unnoticed.
 */
final class DeclarationNotes {

    private final JShell jshell;

    DeclarationNotes(JShell jshell) {
        this.jshell = jshell;
    }

    /** Notes a variable that an update reset; remembers other updated declarations for {@link #unresolved}. */
    void noteUpdate(SnippetEvent event, Map<Snippet, Boolean> declared, List<String> notes) {
        Snippet snippet = event.snippet();
        if (!event.status().isDefined() && !event.status().isActive()) {
            return; // overwritten or dropped: the old version of a redefined snippet
        }
        if (snippet instanceof VarSnippet var && event.status().isDefined() && event.previousStatus().isDefined()
                && event.isSignatureChange()) {
            String cause = event.causeSnippet() instanceof DeclarationSnippet d ? describe(d) : "an earlier snippet";
            notes.add("variable " + var.name() + " was reset to " + defaultValue(var.typeName()) + " because "
                    + cause + " changed");
        } else {
            declared.putIfAbsent(snippet, false);
        }
    }

    /**
     * Declarations that JShell accepted but cannot run until something else is declared or fixed: those of this cell,
     * and earlier ones that this cell broke.
     */
    List<String> unresolved(Map<Snippet, Boolean> snippets) {
        List<String> notes = new ArrayList<>();
        snippets.forEach((snippet, declaredHere) -> {
            if (!(snippet instanceof DeclarationSnippet declaration)) {
                return;
            }
            Snippet.Status status = jshell.status(declaration);
            if (status != Snippet.Status.RECOVERABLE_DEFINED && status != Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                return;
            }
            String until = " until " + waitsFor(declaration);
            if (!declaredHere) {
                notes.add(describe(declaration) + " can no longer be used" + until);
            } else if (status == Snippet.Status.RECOVERABLE_DEFINED) {
                notes.add(describe(declaration) + " is declared, but it cannot be used" + until);
            } else {
                notes.add(describe(declaration) + " is not created yet: it cannot be used" + until);
            }
        });
        return notes;
    }

    private String waitsFor(DeclarationSnippet declaration) {
        List<String> missing = jshell.unresolvedDependencies(declaration).toList();
        if (!missing.isEmpty()) {
            return String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " declared";
        }
        return jshell.diagnostics(declaration).filter(Diag::isError).findFirst()
                .map(d -> "it compiles again (" + SnippetEvaluator.message(d).lines().findFirst().orElse("") + ")")
                .orElse("it compiles again");
    }

    private static String defaultValue(String typeName) {
        switch (typeName) {
            case "boolean":
                return "false";
            case "byte": case "short": case "int": case "long": case "char":
                return "0";
            case "float": case "double":
                return "0.0";
            default:
                return "null";
        }
    }

    /** How messages name a declaration: {@code method f(int)}, {@code class Point}, {@code variable x}. */
    static String describe(DeclarationSnippet snippet) {
        if (snippet instanceof MethodSnippet method) {
            return "method " + method.name() + "(" + method.parameterTypes() + ")";
        }
        if (snippet instanceof VarSnippet var) {
            return "variable " + var.name();
        }
        if (snippet instanceof TypeDeclSnippet type) {
            String kind = switch (type.subKind()) {
                case INTERFACE_SUBKIND -> "interface";
                case ENUM_SUBKIND -> "enum";
                case RECORD_SUBKIND -> "record";
                case ANNOTATION_TYPE_SUBKIND -> "annotation interface";
                default -> "class";
            };
            return kind + " " + type.name();
        }
        return snippet.name();
    }
}
