package dev.glimpse.kernel.history;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IPython's history queries over entries in chronological order (by session, then line). Pure functions: the store
 * owns the entries, this class only selects from them.
 */
final class HistoryQueries {
    private HistoryQueries() {
    }

    /** The last {@code n} entries, oldest first; a negative {@code n} means all (as SQLite's {@code LIMIT -1}). */
    static List<HistoryEntry> tail(List<HistoryEntry> entries, int n) {
        return last(entries, n);
    }

    /**
     * The entries of one session with {@code start <= line < stop}. A {@code stop} of 0 means "to the end of the
     * session"; a negative {@code start} or {@code stop} counts back from the end, as IPython does.
     */
    static List<HistoryEntry> range(List<HistoryEntry> entries, int session, int start, int stop) {
        List<HistoryEntry> ofSession = entries.stream().filter(e -> e.session() == session).toList();
        int end = ofSession.stream().mapToInt(HistoryEntry::line).max().orElse(0) + 1;
        int from = start < 0 ? start + end : start;
        int until = stop == 0 ? end : stop < 0 ? stop + end : stop;
        return ofSession.stream().filter(e -> e.line() >= from && e.line() < until).toList();
    }

    /**
     * Entries whose input matches the glob, oldest first. With {@code unique} an input that ran several times appears
     * once, at its latest run. A non-negative {@code n} keeps only the {@code n} most recent matches.
     */
    static List<HistoryEntry> search(List<HistoryEntry> entries, String glob, int n, boolean unique) {
        Pattern pattern = GlobPattern.compile(glob);
        List<HistoryEntry> newestFirst = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            HistoryEntry entry = entries.get(i);
            if (pattern.matcher(entry.input()).matches() && (!unique || seen.add(entry.input()))) {
                newestFirst.add(entry);
                if (n >= 0 && newestFirst.size() == n) {
                    break;
                }
            }
        }
        return reversed(newestFirst);
    }

    private static List<HistoryEntry> last(List<HistoryEntry> entries, int n) {
        if (n < 0 || n >= entries.size()) {
            return List.copyOf(entries);
        }
        return List.copyOf(entries.subList(entries.size() - n, entries.size()));
    }

    private static List<HistoryEntry> reversed(List<HistoryEntry> list) {
        List<HistoryEntry> out = new ArrayList<>(list.size());
        for (int i = list.size() - 1; i >= 0; i--) {
            out.add(list.get(i));
        }
        return out;
    }
}
