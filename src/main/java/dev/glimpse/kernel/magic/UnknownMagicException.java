package dev.glimpse.kernel.magic;

import java.util.List;

/** No magic of that name and kind is registered. The message suggests the closest names. */
public class UnknownMagicException extends MagicException {
    private final String name;
    private final MagicInfo.Kind kind;
    private final List<String> suggestions;

    public UnknownMagicException(String name, MagicInfo.Kind kind, List<String> suggestions, String hint) {
        super("Unknown " + (kind == MagicInfo.Kind.LINE ? "line" : "cell") + " magic " + kind.prefix() + name + "."
                + (hint.isEmpty() ? "" : " " + hint)
                + (suggestions.isEmpty() ? "" : " Did you mean " + String.join(", ", suggestions) + "?")
                + " Run %lsmagic to list the magics.");
        this.name = name;
        this.kind = kind;
        this.suggestions = List.copyOf(suggestions);
    }

    public String name() {
        return name;
    }

    public MagicInfo.Kind kind() {
        return kind;
    }

    /** The closest registered magics, as typed ({@code %classpath}, {@code %%time}). */
    public List<String> suggestions() {
        return suggestions;
    }
}
