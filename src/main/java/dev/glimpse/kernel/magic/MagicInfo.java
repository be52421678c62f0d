package dev.glimpse.kernel.magic;

/**
 * A registered magic's name and help, as {@code %lsmagic}, {@code %help} and completion show it.
 *
 * @param name the name without {@code %}
 * @param kind line ({@code %name}) or cell ({@code %%name})
 * @param help what it does and how to call it; the first line is the summary
 */
public record MagicInfo(String name, Kind kind, String help) {
    public enum Kind {
        LINE("%"), CELL("%%");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /** The name as typed in a cell: {@code %time} or {@code %%time}. */
    public String usage() {
        return kind.prefix() + name;
    }

    /** The first line of the help. */
    public String summary() {
        int end = help.indexOf('\n');
        return end < 0 ? help : help.substring(0, end);
    }
}
