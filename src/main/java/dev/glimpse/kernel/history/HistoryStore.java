package dev.glimpse.kernel.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's input history across sessions, answering {@code history_request} the way IPython does.
 *
 * <p>Each kernel run is a new session, numbered one past the highest in the file. Cells are kept in memory and
 * appended to the file as they run; other sessions are read once, at {@link #open}. The file is trimmed to
 * {@value #DEFAULT_MAX_ENTRIES} cells by dropping the oldest sessions.
 *
 * <p>Thread-safe.
 */
public final class HistoryStore {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** Stored result text is cut to this length: history is for finding code again, not for keeping outputs. */
    public static final int MAX_OUTPUT_CHARS = 4_000;
    /** Pass as {@code n} for "no limit" (Jupyter sends no {@code n}). */
    public static final int ALL = -1;
    public static final String FILE_ENV = "GLIMPSE_HISTORY";

    private final HistoryJournal journal;
    private final int session;
    private final int maxEntries;
    private List<HistoryEntry> entries;

    private HistoryStore(HistoryJournal journal, int session, List<HistoryEntry> entries, int maxEntries) {
        this.journal = journal;
        this.session = session;
        this.maxEntries = maxEntries;
        this.entries = new ArrayList<>(entries);
    }

    /** {@code $GLIMPSE_HISTORY} if set, else {@code ~/.local/share/glimpse/history.jsonl}. */
    public static Path defaultFile() {
        String configured = System.getenv(FILE_ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "glimpse", "history.jsonl");
    }

    /** Opens the {@link #defaultFile()} and starts a new session in it. */
    public static HistoryStore openDefault() throws IOException {
        return open(defaultFile(), DEFAULT_MAX_ENTRIES);
    }

    public static HistoryStore open(Path file) throws IOException {
        return open(file, DEFAULT_MAX_ENTRIES);
    }

    /**
     * Loads the history in {@code file} (created if missing), starts a new session and trims the file if it holds
     * more than {@code maxEntries} cells.
     *
     * @throws IOException naming the file if it cannot be created or read
     */
    public static HistoryStore open(Path file, int maxEntries) throws IOException {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        HistoryJournal journal = new HistoryJournal(file);
        HistoryJournal.Started started;
        try {
            started = journal.startSession();
        } catch (IOException e) {
            throw new IOException("Cannot open the history file " + journal.file() + ": " + e.getMessage()
                    + ". Set " + FILE_ENV + " to a writable file.", e);
        }
        HistoryStore store = new HistoryStore(journal, started.session(), started.entries(), maxEntries);
        if (started.entries().size() > maxEntries) {
            store.entries = new ArrayList<>(journal.compact(maxEntries, started.session()));
        }
        return store;
    }

    /** A history that lives only as long as the kernel: the fallback when no file can be written. */
    public static HistoryStore inMemory() {
        return new HistoryStore(null, 1, List.of(), Integer.MAX_VALUE);
    }

    /** This kernel run's session number. */
    public int session() {
        return session;
    }

    /** The file backing this store, or {@code null} for {@link #inMemory()}. */
    public Path file() {
        return journal == null ? null : journal.file();
    }

    /**
     * Records an executed cell of this session. The entry is queryable even if writing the file fails.
     *
     * @param line   the cell's execution count
     * @param input  the cell source
     * @param output the {@code text/plain} of its result, or {@code null}
     * @throws UncheckedIOException naming the file if it cannot be written; the kernel should warn and go on
     */
    public synchronized void record(int line, String input, String output) {
        HistoryEntry entry = new HistoryEntry(session, line, input, cut(output));
        entries.add(entry);
        if (journal == null) {
            return;
        }
        try {
            journal.append(entry);
            if (entries.size() > maxEntries + maxEntries / 2) {
                entries = new ArrayList<>(journal.compact(maxEntries, session));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the history file " + journal.file() + ": " + e.getMessage()
                    + ". Set " + FILE_ENV + " to a writable file.", e);
        }
    }

    /** The last {@code n} cells over all sessions, oldest first ({@code hist_access_type: tail}). */
    public synchronized List<HistoryEntry> tail(int n, boolean withOutput) {
        return outputs(HistoryQueries.tail(entries, n), withOutput);
    }

    /**
     * Cells {@code start <= line < stop} of a session ({@code hist_access_type: range}).
     *
     * @param session a session number, or 0 for this session and -k for the k-th before it
     * @param start   first line; negative counts back from the session's end
     * @param stop    line after the last; 0 means the end of the session, negative counts back from it
     */
    public synchronized List<HistoryEntry> range(int session, int start, int stop, boolean withOutput) {
        int absolute = session <= 0 ? this.session + session : session;
        return outputs(HistoryQueries.range(entries, absolute, start, stop), withOutput);
    }

    /**
     * Cells whose whole input matches a glob ({@code *}, {@code ?}, {@code [set]}), oldest first
     * ({@code hist_access_type: search}).
     *
     * @param n      keep the {@code n} most recent matches, or {@link #ALL}
     * @param unique list each distinct input once, at its latest run
     */
    public synchronized List<HistoryEntry> search(String pattern, int n, boolean unique, boolean withOutput) {
        return outputs(HistoryQueries.search(entries, pattern, n, unique), withOutput);
    }

    private static List<HistoryEntry> outputs(List<HistoryEntry> found, boolean withOutput) {
        return withOutput ? found : found.stream().map(HistoryEntry::withoutOutput).toList();
    }

    private static String cut(String output) {
        if (output == null || output.length() <= MAX_OUTPUT_CHARS) {
            return output;
        }
        return output.substring(0, MAX_OUTPUT_CHARS) + "…";
    }
}
