package dev.glimpse.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command's parsed options: {@code --name value}, {@code --name=value} and bare {@code --flag}s, checked against
 * the options the command declares. Typed getters turn bad values into {@link UsageException}s that name the
 * option and what it expects.
 */
final class Arguments {

    /** What an option takes. */
    enum Kind {
        /** No value: present or not. */
        FLAG,
        /** One value; giving it twice is an error. */
        VALUE,
        /** One value per occurrence, all kept in order. */
        REPEATED
    }

    private final Map<String, List<String>> values;

    private Arguments(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses {@code args} against {@code spec} (option name without dashes → kind).
     *
     * @throws UsageException for an unknown option, a missing value, a repeated single-value option or a stray
     *                        positional argument
     */
    static Arguments parse(List<String> args, Map<String, Kind> spec) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("Unexpected argument '" + arg + "': options start with --, e.g. --prompt \""
                        + arg + "\"");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Kind kind = spec.get(name);
            if (kind == null) {
                throw new UsageException("Unknown option --" + name + "; known options: --"
                        + String.join(", --", spec.keySet()));
            }
            String value;
            if (kind == Kind.FLAG) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (kind != Kind.REPEATED && !list.isEmpty()) {
                throw new UsageException("--" + name + " was given more than once");
            }
            list.add(value);
        }
        return new Arguments(values);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    String required(String name, String example) {
        return value(name).orElseThrow(() -> new UsageException("Missing --" + name + ", e.g. --" + name + " "
                + example));
    }

    /** An integer of at least {@code min}, or {@code fallback} when absent. */
    int intValue(String name, int fallback, int min) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < min) {
                throw new UsageException("--" + name + " must be at least " + min + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + v.get() + "'");
        }
    }

    /** A long, or {@code null} when absent. */
    Long longValue(String name) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.get().trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + v.get() + "'");
        }
    }

    /** A finite number of at least {@code min}, or {@code null} when absent. */
    Double doubleValue(String name, double min) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(v.get().trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v.get() + "'");
        }
        if (!Double.isFinite(d) || d < min) {
            throw new UsageException("--" + name + " must be a number of at least " + min + ", was " + v.get());
        }
        return d;
    }
}
