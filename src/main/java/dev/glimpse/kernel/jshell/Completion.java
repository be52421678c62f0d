package dev.glimpse.kernel.jshell;

import java.util.List;

/**
 * Completions at a cursor: each match replaces the code between {@code start} and {@code end}.
 *
 * @param matches the candidates, those that fit the expected type first; methods end in {@code (} (or {@code ()}
 *                when they take no arguments), as JShell gives them
 * @param start   offset in the cell's code where the replaced text starts
 * @param end     offset where it ends (the cursor)
 */
public record Completion(List<String> matches, int start, int end) {

    public Completion {
        matches = List.copyOf(matches);
    }
}
