package dev.glimpse.kernel;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPython's help syntax: a cell that is only {@code ?name} or {@code name?} opens the documentation of
 * {@code name} in the pager instead of running. Neither form is valid Java, so no code loses its meaning.
 */
final class HelpRequest {
    private static final Pattern PREFIX = Pattern.compile("^\\s*\\?\\s*([\\w.$\\[\\]()\"]+)\\s*$");
    private static final Pattern SUFFIX = Pattern.compile("^\\s*([\\w.$\\[\\]()\"]+?)\\s*\\?\\s*$");

    private HelpRequest() {
    }

    /** The expression whose documentation the cell asks for, if the cell is a help request. */
    static Optional<String> topic(String cell) {
        for (Pattern pattern : new Pattern[]{PREFIX, SUFFIX}) {
            Matcher matcher = pattern.matcher(cell);
            if (matcher.matches()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }
}
