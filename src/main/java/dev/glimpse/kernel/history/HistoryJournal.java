package dev.glimpse.kernel.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history file: one JSON object per line, appended to, never edited in place. A line is either a cell
 * ({@code session, line, input, output?}) or a session start ({@code session, started}) that reserves the session
 * number. Unparsable lines (a crash mid-write, a hand edit) are skipped.
 *
 * <p>Several kernels may share the file, so every read-modify-write holds a lock on a sibling {@code .lock} file.
 */
final class HistoryJournal {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One line of the file. */
    record Line(Integer session, Integer line, String input, String output, String started) {
        boolean isCell() {
            return session != null && line != null && input != null;
        }

        HistoryEntry toEntry() {
            return new HistoryEntry(session, line, input, output);
        }

        static Line of(HistoryEntry entry) {
            return new Line(entry.session(), entry.line(), entry.input(), entry.output(), null);
        }

        static Line sessionStart(int session) {
            return new Line(session, null, null, null, Instant.now().toString());
        }
    }

    /** What {@link #startSession} found and reserved. */
    record Started(int session, List<HistoryEntry> entries) {
    }

    private final Path file;
    private final Path lockFile;

    HistoryJournal(Path file) {
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    }

    Path file() {
        return file;
    }

    /** Reads the stored cells and reserves the next session number by appending its start line. */
    Started startSession() throws IOException {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create its directory " + dir + " (" + e + ")", e);
        }
        return locked(() -> {
            List<Line> lines = read();
            int session = lines.stream().mapToInt(Line::session).max().orElse(0) + 1;
            appendUnlocked(Line.sessionStart(session));
            return new Started(session, cells(lines));
        });
    }

    void append(HistoryEntry entry) throws IOException {
        locked(() -> {
            appendUnlocked(Line.of(entry));
            return null;
        });
    }

    /**
     * Rewrites the file without its oldest sessions until at most {@code maxEntries} cells remain; the session
     * {@code keep} stays whole however large it is. Returns the cells kept, in order.
     */
    List<HistoryEntry> compact(int maxEntries, int keep) throws IOException {
        return locked(() -> {
            List<Line> lines = read();
            int lastSession = lines.stream().mapToInt(Line::session).max().orElse(keep);
            TreeMap<Integer, List<HistoryEntry>> bySession = new TreeMap<>();
            for (HistoryEntry entry : cells(lines)) {
                bySession.computeIfAbsent(entry.session(), s -> new ArrayList<>()).add(entry);
            }
            int total = bySession.values().stream().mapToInt(List::size).sum();
            while (total > maxEntries && !bySession.isEmpty() && bySession.firstKey() != keep) {
                total -= bySession.pollFirstEntry().getValue().size();
            }
            List<HistoryEntry> kept = new ArrayList<>(total);
            StringBuilder text = new StringBuilder();
            // The newest session number is kept as a start line so numbers never repeat after a trim.
            text.append(json(Line.sessionStart(lastSession))).append('\n');
            for (Map.Entry<Integer, List<HistoryEntry>> session : bySession.entrySet()) {
                for (HistoryEntry entry : session.getValue()) {
                    kept.add(entry);
                    text.append(json(Line.of(entry))).append('\n');
                }
            }
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return kept;
        });
    }

    private List<Line> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (text.isBlank()) {
                continue;
            }
            try {
                Line line = MAPPER.readValue(text, Line.class);
                if (line.session() != null && line.session() > 0) {
                    lines.add(line);
                }
            } catch (JsonProcessingException corrupt) {
                // A torn or hand-edited line loses only itself.
            }
        }
        return lines;
    }

    private static List<HistoryEntry> cells(List<Line> lines) {
        return lines.stream().filter(Line::isCell).map(Line::toEntry)
                .sorted(Comparator.comparingInt(HistoryEntry::session).thenComparingInt(HistoryEntry::line))
                .toList();
    }

    private void appendUnlocked(Line line) throws IOException {
        String text = json(line) + "\n";
        if (endsMidLine()) {
            text = "\n" + text;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** True when a crash left the last line without its newline: the next line must not be glued to it. */
    private boolean endsMidLine() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(raf.length() - 1);
            return raf.read() != '\n';
        }
    }

    private static String json(Line line) {
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(LockedAction<T> action) throws IOException {
        // The file lock guards against other kernels; the monitor against other stores in this JVM, which the
        // file lock would reject with OverlappingFileLockException instead of waiting.
        synchronized (HistoryJournal.class) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return action.run();
                } finally {
                    lock.release();
                }
            }
        }
    }
}
