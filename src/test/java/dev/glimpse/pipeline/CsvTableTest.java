package dev.glimpse.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvTableTest {

    @Test
    void fieldsAreQuotedOnlyWhenTheyNeedIt() {
        assertEquals("red", CsvTable.quote("red"));
        assertEquals("", CsvTable.quote(""));
        assertEquals("a b", CsvTable.quote("a b"));
        assertEquals("\"red, blue\"", CsvTable.quote("red, blue"));
        assertEquals("\"say \"\"hi\"\"\"", CsvTable.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvTable.quote("two\nlines"));
        assertEquals("\"cr\rlf\"", CsvTable.quote("cr\rlf"));
        assertEquals("\" 3 \"", CsvTable.quote(" 3 "));
        assertEquals("\"tab\t\"", CsvTable.quote("tab\t"));
    }

    @Test
    void tablesAreWrittenWithAHeaderAndPlainNumbers() {
        Table t = Table.create("t", StringColumn.create("answer", "red", "a,b"),
                BooleanColumn.create("correct", new boolean[] {true, false}),
                DoubleColumn.create("latency_ms", 12.5, 1.0E7));
        t.doubleColumn("latency_ms").appendMissing();
        t.stringColumn("answer").append("x");
        t.booleanColumn("correct").append(true);
        assertEquals("answer,correct,latency_ms\nred,true,12.5\n\"a,b\",false,10000000\nx,true,\n", CsvTable.toCsv(t));
    }

    @Test
    void whatIsWrittenReadsBackIdentically(@TempDir Path dir) {
        String[] answers = {"red", "red, then blue", "a \"quoted\" word", "line one\nline two", " 3 ", "",
            "crlf\r\nend", "ünïcødé ✓"};
        // two columns: a one-column row holding an empty field would be an empty line, which readers skip
        Table t = Table.create("answers", StringColumn.create("answer", answers),
                BooleanColumn.create("correct", new boolean[answers.length]));
        Path file = dir.resolve("answers.csv");
        CsvTable.write(t, file);
        Table back = Table.read().usingOptions(CsvReadOptions.builder(file.toFile())
                .columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.BOOLEAN}).build());
        assertEquals(answers.length, back.rowCount());
        for (int i = 0; i < answers.length; i++) {
            assertEquals(answers[i], back.stringColumn("answer").get(i), "row " + i);
        }
    }

    @Test
    void filesAreUtf8WithoutByteOrderMark(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.csv");
        CsvTable.write(Table.create("x", StringColumn.create("é", "✓")), file);
        assertEquals("é\n✓\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals((byte) 0xC3, Files.readAllBytes(file)[0]);
    }
}
