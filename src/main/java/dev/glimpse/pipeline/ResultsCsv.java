package dev.glimpse.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV file a batch run appends each answer to as soon as it has it, so that a crash or an interrupt loses
 * nothing and a re-run asks only what is missing. Columns: {@link #COLUMNS}. A row is reused only for the same
 * {@link Key}: file name, prompt, image content (SHA-256), model identity (name and weights fingerprint, or
 * endpoint URL and served name) and generation options (token limit, sampling, seed, thinking, system prompt).
 * Anything else is asked again and appended. Error rows are never reused: a re-run asks those images again.
 *
 * <p>A record torn by a crash in the middle of writing is cut off when the file is opened; a complete last record
 * that only lacks its line end (a file saved by another program) is kept. A file written before the key columns
 * existed is rewritten with them empty: its rows stay, and are asked again.
 */
public final class ResultsCsv {

    /** The columns of the file, in order. */
    public static final List<String> COLUMNS = List.of("file", "prompt", "answer", "latency_ms", "prompt_tokens",
            "completion_tokens", "model", "image_sha256", "model_id", "options", "error");

    /** The columns of results files written before the key columns. */
    static final List<String> OLD_COLUMNS = List.of("file", "prompt", "answer", "latency_ms", "prompt_tokens",
            "completion_tokens", "model", "error");

    /** What identifies an answer that need not be asked again. */
    public record Key(String file, String prompt, BatchResult.AnswerKey answer) {

        /** The key of a row. */
        public static Key of(BatchResult row) {
            return new Key(row.file(), row.prompt(), row.key());
        }
    }

    private final Path file;
    private final Map<Key, BatchResult> done;

    private ResultsCsv(Path file, Map<Key, BatchResult> done) {
        this.file = file;
        this.done = done;
    }

    /**
     * Opens a results file, reading the rows it already has; a file that does not exist yet is created (with its
     * header) on the first {@link #append}.
     *
     * @throws IllegalArgumentException when the file is not a results file (other columns, a malformed row)
     */
    public static ResultsCsv open(Path file) {
        Map<Key, BatchResult> done = new LinkedHashMap<>();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("The results file " + file + " is a folder; give a .csv file path.");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ResultsCsv(file, done);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The results file " + file + " is not UTF-8 text: it is not a file "
                    + "askAll wrote. Choose another results file, or delete this one to start over.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the results file " + file + ": " + e.getMessage(), e);
        }
        CsvRecords csv = CsvRecords.parse(text);
        List<List<String>> records = new ArrayList<>(csv.records());
        if (csv.torn(text)) {
            List<String> last = csv.unterminated(text);
            int columns = records.isEmpty() ? COLUMNS.size() : records.get(0).size();
            if (last != null && last.size() == columns) {
                // complete but for its line end: keep it, and end the line so that the next append starts anew
                records.add(last);
                endLine(file);
            } else {
                cutBack(file, text.substring(0, csv.complete()));
            }
        }
        if (records.isEmpty()) {
            return new ResultsCsv(file, done);
        }
        List<String> header = records.get(0);
        boolean old = header.equals(OLD_COLUMNS);
        if (!old && !header.equals(COLUMNS)) {
            throw new IllegalArgumentException("The results file " + file + " has the columns " + header
                    + ", not " + COLUMNS + ": it was not written by askAll. Choose another results file, or delete "
                    + "this one to start over.");
        }
        for (int r = 1; r < records.size(); r++) {
            BatchResult row = row(file, r + 1, records.get(r), header);
            done.put(Key.of(row), row);
        }
        ResultsCsv results = new ResultsCsv(file, done);
        if (old) {
            results.rewrite();
        }
        return results;
    }

    private static BatchResult row(Path file, int record, List<String> f, List<String> header) {
        if (f.size() != header.size()) {
            throw new IllegalArgumentException("The results file " + file + " has " + f.size() + " fields in record "
                    + record + " where " + header.size() + " are expected. Fix or delete that record, or delete the "
                    + "file to start over.");
        }
        try {
            BatchResult.AnswerKey key = header.size() == COLUMNS.size()
                    ? new BatchResult.AnswerKey(f.get(7), f.get(8), f.get(9)) : BatchResult.AnswerKey.UNKNOWN;
            return new BatchResult(f.get(0), f.get(1), f.get(2), number(f.get(3)), (int) number(f.get(4)),
                    (int) number(f.get(5)), f.get(6), key, f.get(f.size() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The results file " + file + " has a value that is not a number in "
                    + "record " + record + " (" + e.getMessage() + "). Fix or delete that record.", e);
        }
    }

    private static double number(String s) {
        return s.isEmpty() ? 0 : Double.parseDouble(s);
    }

    // a record half written when the process died: drop it, so that the next append starts on a line of its own
    private static void cutBack(Path file, String whole) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(whole.getBytes(StandardCharsets.UTF_8).length);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot repair the results file " + file + " (its last record was cut off): "
                    + e.getMessage(), e);
        }
    }

    private static void endLine(Path file) {
        try {
            Files.writeString(file, "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot repair the results file " + file + " (its last line has no end): "
                    + e.getMessage(), e);
        }
    }

    // an older file: the same rows under today's header (key columns empty), replaced in one move
    private void rewrite() {
        StringBuilder text = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        done.values().forEach(r -> text.append(line(r)));
        Path temporary = file.resolveSibling(file.getFileName() + ".upgrading");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add the key columns to the results file " + file + ": "
                    + e.getMessage() + ". Move it aside to start a new one.", e);
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The row already answered for this key, or null; an error row does not count (it is asked again). */
    public BatchResult find(Key key) {
        BatchResult row = done.get(key);
        return row == null || row.failed() ? null : row;
    }

    /** Every row in the file, in file order (a repeated key keeps its last row). */
    public List<BatchResult> rows() {
        return Collections.unmodifiableList(new ArrayList<>(done.values()));
    }

    /** Appends a row and flushes it to the file before returning. */
    public synchronized void append(BatchResult row) {
        boolean fresh = !Files.exists(file) || size(file) == 0;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                if (fresh) {
                    out.append(String.join(",", COLUMNS)).append('\n');
                }
                out.append(line(row));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the results file " + file + ": " + e.getMessage()
                    + ". Choose a writable location for it.", e);
        }
        done.put(Key.of(row), row);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String line(BatchResult r) {
        return String.join(",", CsvTable.quote(r.file()), CsvTable.quote(r.prompt()), CsvTable.quote(r.answer()),
                BigDecimal.valueOf(Math.round(r.latencyMillis() * 10) / 10.0).toPlainString(),
                Integer.toString(r.promptTokens()), Integer.toString(r.completionTokens()),
                CsvTable.quote(r.model()), CsvTable.quote(r.key().imageSha256()), CsvTable.quote(r.key().modelId()),
                CsvTable.quote(r.key().options()), CsvTable.quote(r.error())) + "\n";
    }
}
