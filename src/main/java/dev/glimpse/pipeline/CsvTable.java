package dev.glimpse.pipeline;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a Tablesaw {@link Table} as CSV (RFC 4180): a header row of the column names, then one record per row,
 * UTF-8 without byte-order mark, {@code \n} line ends, every value exactly as stored.
 *
 * <p>A field is quoted when it contains a comma, a double quote, a carriage return or a line feed, or starts or
 * ends with white space (many readers trim unquoted fields); quotes inside are doubled. Missing values,
 * {@code NaN} and infinities are empty fields; floating-point values are written in plain decimal notation
 * (never {@code 1.0E7}).
 */
public final class CsvTable {

    private CsvTable() {
    }

    /** Writes {@code table} to {@code file}, replacing it. */
    public static void write(Table table, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(table, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code table} to {@code out} (not closed). */
    public static void write(Table table, Appendable out) throws IOException {
        String sep = "";
        for (Column<?> column : table.columns()) {
            out.append(sep).append(quote(column.name()));
            sep = ",";
        }
        out.append('\n');
        for (int row = 0; row < table.rowCount(); row++) {
            sep = "";
            for (Column<?> column : table.columns()) {
                out.append(sep).append(quote(value(column, row)));
                sep = ",";
            }
            out.append('\n');
        }
    }

    /** The table as CSV text. */
    public static String toCsv(Table table) {
        StringBuilder out = new StringBuilder();
        try {
            write(table, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }

    /** One field as CSV: unchanged, or quoted with inner quotes doubled when it needs to be (see the class doc). */
    public static String quote(String field) {
        boolean needs = !field.isEmpty() && (Character.isWhitespace(field.charAt(0))
                || Character.isWhitespace(field.charAt(field.length() - 1)));
        for (int i = 0; i < field.length() && !needs; i++) {
            char c = field.charAt(i);
            needs = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static String value(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        Object v = column.get(row);
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "" : BigDecimal.valueOf(d).toPlainString();
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? "" : new BigDecimal(Float.toString(f)).toPlainString();
        }
        return String.valueOf(v);
    }
}
