package dev.glimpse.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as {@link CsvTable} writes it (RFC 4180: fields quoted with {@code "} when needed, quotes doubled,
 * records ended by {@code \n} or {@code \r\n}), keeping track of where the last complete record ends, so that a file
 * whose writer died in the middle of a record can be cut back to its whole records.
 *
 * @param records  the complete records, in order; each a list of fields
 * @param complete how many characters of the text the complete records take (the rest is a torn record)
 */
public record CsvRecords(List<List<String>> records, int complete) {

    public CsvRecords {
        records = List.copyOf(records);
    }

    /** Parses CSV text. A last record without its line end, or with an open quote, is left out as torn. */
    public static CsvRecords parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int complete = 0;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        if (i == 1) {
            complete = 1;
        }
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                }
                case '\r' -> {
                    // part of a \r\n line end; a lone \r is kept as text
                    if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                        field.append(c);
                    }
                }
                case '\n' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    records.add(List.copyOf(fields));
                    fields.clear();
                    complete = i + 1;
                }
                default -> field.append(c);
            }
            i++;
        }
        return new CsvRecords(records, complete);
    }

    /**
     * The fields of the text after the last complete record, when it would be a whole record with a line end
     * added (its quotes closed); null when there is none or a quoted field is still open.
     */
    public List<String> unterminated(String text) {
        if (!torn(text)) {
            return null;
        }
        CsvRecords tail = parse(text.substring(complete) + "\n");
        return tail.records().size() == 1 && !tail.torn(text.substring(complete) + "\n") ? tail.records().get(0)
                : null;
    }

    /** Whether text follows the last complete record (a record cut off by a crash). */
    public boolean torn(String text) {
        return complete < text.length();
    }
}
