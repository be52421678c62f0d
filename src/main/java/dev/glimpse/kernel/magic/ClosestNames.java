package dev.glimpse.kernel.magic;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Suggests the names nearest to a mistyped one, for "did you mean" messages. */
final class ClosestNames {
    private ClosestNames() {
    }

    /** Up to {@code limit} candidates within a small edit distance of {@code name} or starting with it, nearest first. */
    static List<String> closest(String name, Collection<String> candidates, int limit) {
        String wanted = name.toLowerCase();
        int tolerance = Math.max(2, wanted.length() / 3);
        record Scored(String name, int distance) {
        }
        return candidates.stream()
                .map(c -> new Scored(c, c.toLowerCase().startsWith(wanted) ? 0 : distance(wanted, c.toLowerCase())))
                .filter(s -> s.distance() <= tolerance)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(limit)
                .map(Scored::name)
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
