package dev.glimpse.kernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The magics a kernel knows, by name, with their help. Extensions register their own with
 * {@link #registerLineMagic} and {@link #registerCellMagic}; registering an existing name replaces it, so an
 * extension can override a built-in. Line and cell magics have separate namespaces ({@code %time} and
 * {@code %%time} are two magics).
 *
 * <p>Thread-safe: extensions register from user code while the kernel completes and runs cells.
 */
public final class MagicRegistry {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][\\w.-]*");

    private record Entry<H>(MagicInfo info, H handler) {
    }

    private final NavigableMap<String, Entry<LineMagic>> lineMagics = new ConcurrentSkipListMap<>();
    private final NavigableMap<String, Entry<CellMagic>> cellMagics = new ConcurrentSkipListMap<>();

    /**
     * Registers {@code %name}.
     *
     * @param help what it does and how to call it; the first line is the summary {@code %lsmagic} and {@code %help}
     *             list
     * @throws IllegalArgumentException if the name is not a letter or {@code _} followed by letters, digits,
     *                                  {@code _ . -}
     */
    public void registerLineMagic(String name, String help, LineMagic handler) {
        lineMagics.put(checkName(name), new Entry<>(new MagicInfo(name, MagicInfo.Kind.LINE, help),
                Objects.requireNonNull(handler, "handler")));
    }

    /** Registers {@code %%name}; see {@link #registerLineMagic}. */
    public void registerCellMagic(String name, String help, CellMagic handler) {
        cellMagics.put(checkName(name), new Entry<>(new MagicInfo(name, MagicInfo.Kind.CELL, help),
                Objects.requireNonNull(handler, "handler")));
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid magic name '" + name + "': use a letter or _ followed by"
                    + " letters, digits, '_', '.' or '-', without the % prefix.");
        }
        return name;
    }

    /** The handler of {@code %name}, or an {@link UnknownMagicException} suggesting the closest names. */
    public LineMagic lineMagic(String name) {
        Entry<LineMagic> entry = lineMagics.get(name);
        if (entry == null) {
            String hint = cellMagics.containsKey(name)
                    ? "%%" + name + " is a cell magic: put it on the first line of the cell." : "";
            throw new UnknownMagicException(name, MagicInfo.Kind.LINE, suggestions(name, MagicInfo.Kind.LINE), hint);
        }
        return entry.handler();
    }

    /** The handler of {@code %%name}, or an {@link UnknownMagicException} suggesting the closest names. */
    public CellMagic cellMagic(String name) {
        Entry<CellMagic> entry = cellMagics.get(name);
        if (entry == null) {
            String hint = lineMagics.containsKey(name)
                    ? "%" + name + " is a line magic: write it with a single %." : "";
            throw new UnknownMagicException(name, MagicInfo.Kind.CELL, suggestions(name, MagicInfo.Kind.CELL), hint);
        }
        return entry.handler();
    }

    /** Line magics sorted by name. */
    public List<MagicInfo> lineMagics() {
        return lineMagics.values().stream().map(Entry::info).toList();
    }

    /** Cell magics sorted by name. */
    public List<MagicInfo> cellMagics() {
        return cellMagics.values().stream().map(Entry::info).toList();
    }

    /** The line and cell magics called {@code name} (zero, one or two). */
    public List<MagicInfo> find(String name) {
        List<MagicInfo> found = new ArrayList<>(2);
        Optional.ofNullable(lineMagics.get(name)).map(Entry::info).ifPresent(found::add);
        Optional.ofNullable(cellMagics.get(name)).map(Entry::info).ifPresent(found::add);
        return found;
    }

    /**
     * Completions for a word being typed: {@code "%cl"} gives {@code ["%classpath"]}, {@code "%%"} every cell magic,
     * {@code "%"} every line and cell magic. Words not starting with {@code %} give nothing.
     */
    public List<String> completions(String prefix) {
        if (prefix.startsWith("%%")) {
            return namesStartingWith(cellMagics, prefix.substring(2)).map(n -> "%%" + n).toList();
        }
        if (prefix.startsWith("%")) {
            String start = prefix.substring(1);
            return Stream.concat(namesStartingWith(lineMagics, start).map(n -> "%" + n),
                    namesStartingWith(cellMagics, start).map(n -> "%%" + n)).toList();
        }
        return List.of();
    }

    private static Stream<String> namesStartingWith(NavigableMap<String, ?> magics, String start) {
        return magics.tailMap(start, true).keySet().stream().takeWhile(n -> n.startsWith(start));
    }

    private List<String> suggestions(String name, MagicInfo.Kind kind) {
        Map<String, ?> sameKind = kind == MagicInfo.Kind.LINE ? lineMagics : cellMagics;
        return ClosestNames.closest(name, sameKind.keySet(), 3).stream().map(n -> kind.prefix() + n).toList();
    }
}
