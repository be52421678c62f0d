package dev.glimpse.kernel.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("history.jsonl");
    }

    private static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::input).toList();
    }

    @Test
    void tailReturnsTheLastCellsOldestFirst() throws IOException {
        HistoryStore store = HistoryStore.open(file());
        store.record(1, "int a = 1;", null);
        store.record(2, "a + 1", "2");
        store.record(3, "a * 6", "6");

        List<HistoryEntry> tail = store.tail(2, false);
        assertEquals(List.of("a + 1", "a * 6"), inputs(tail));
        assertEquals(List.of(2, 3), tail.stream().map(HistoryEntry::line).toList());
        assertNull(tail.get(1).output(), "output only when asked for");
        assertEquals("6", store.tail(1, true).get(0).output());
        assertEquals(3, store.tail(HistoryStore.ALL, false).size());
        assertEquals(3, store.tail(10, false).size());
        assertEquals(List.of(), store.tail(0, false));
    }

    @Test
    void historySurvivesAcrossSessions() throws IOException {
        HistoryStore first = HistoryStore.open(file());
        first.record(1, "var x = 7;", null);
        first.record(2, "x", "7");

        HistoryStore second = HistoryStore.open(file());
        assertEquals(first.session() + 1, second.session());
        second.record(1, "x * 2", "14");

        assertEquals(List.of("var x = 7;", "x", "x * 2"), inputs(second.tail(5, false)));
        assertEquals(List.of("var x = 7;", "x"), inputs(second.range(-1, 1, 0, false)));
        assertEquals(List.of("x"), inputs(second.range(first.session(), 2, 3, false)));
        assertEquals("7", second.range(-1, 2, 3, true).get(0).output());
        assertEquals(List.of("x * 2"), inputs(second.range(0, 1, 0, false)));
    }

    @Test
    void sessionNumbersAreReservedEvenWithoutCells() throws IOException {
        int a = HistoryStore.open(file()).session();
        int b = HistoryStore.open(file()).session();
        assertEquals(a + 1, b);
    }

    @Test
    void rangeReturnsExactlyTheRequestedLines() throws IOException {
        HistoryStore store = HistoryStore.open(file());
        for (int line = 1; line <= 5; line++) {
            store.record(line, "cell " + line, null);
        }
        assertEquals(List.of("cell 2"), inputs(store.range(0, 2, 3, false)));
        assertEquals(List.of("cell 2", "cell 3", "cell 4"), inputs(store.range(0, 2, 5, false)));
        assertEquals(List.of("cell 4", "cell 5"), inputs(store.range(0, -2, 0, false)));
        assertEquals(List.of("cell 1", "cell 2", "cell 3", "cell 4"), inputs(store.range(0, 1, -1, false)));
        assertEquals(List.of(), inputs(store.range(0, 7, 9, false)));
        assertEquals(List.of(), inputs(store.range(store.session() + 3, 1, 0, false)));
    }

    /** The sequence jupyter_kernel_test's test_history runs: every query re-executes the sample cells first. */
    @Test
    void answersJupyterKernelTestHistoryChecks() throws IOException {
        List<String> codes = List.of("6*7", "\"hi\"", "1+2");
        HistoryStore store = HistoryStore.open(file());
        int[] count = {0};
        Runnable executeCodes = () -> codes.forEach(code -> store.record(++count[0], code, "out"));

        executeCodes.run();
        List<HistoryEntry> tail = store.tail(codes.size(), false);
        assertEquals(codes, inputs(tail));
        executeCodes.run();
        assertEquals("out", store.tail(codes.size(), true).get(0).output());

        int session = tail.get(0).session();
        int start = tail.get(0).line();
        executeCodes.run();
        List<HistoryEntry> range = store.range(session, start, start + 1, false);
        assertEquals(1, range.size());
        assertEquals(session, range.get(0).session());
        assertEquals(start, range.get(0).line());

        String pattern = "6*";
        executeCodes.run();
        assertTrue(store.search(pattern, HistoryStore.ALL, false, false).size() >= 1);
        executeCodes.run();
        assertEquals(1, store.search(pattern, HistoryStore.ALL, true, false).size());
        executeCodes.run();
        assertEquals(3, store.search(pattern, 3, false, false).size());
    }

    @Test
    void searchMatchesWholeInputsWithGlobs() throws IOException {
        HistoryStore store = HistoryStore.open(file());
        List<String> cells = List.of("display(img)", "var img = load(\"a.png\");", "display(img)", "ask(img, \"what?\")",
                "display(table)", "x1", "x2", "xy");
        for (int i = 0; i < cells.size(); i++) {
            store.record(i + 1, cells.get(i), null);
        }
        assertEquals(List.of("display(img)", "display(img)", "display(table)"),
                inputs(store.search("display(*)", HistoryStore.ALL, false, false)));
        assertEquals(List.of("display(img)", "display(table)"),
                inputs(store.search("display(*)", HistoryStore.ALL, true, false)));
        assertEquals(List.of(3, 5), store.search("display(*)", HistoryStore.ALL, true, false).stream()
                .map(HistoryEntry::line).toList(), "unique keeps the latest run of each input");
        assertEquals(List.of("display(table)"), inputs(store.search("display(*)", 1, false, false)));
        assertEquals(List.of("x1", "x2", "xy"), inputs(store.search("x?", HistoryStore.ALL, false, false)));
        assertEquals(List.of("x1", "x2"), inputs(store.search("x[0-9]", HistoryStore.ALL, false, false)));
        assertEquals(List.of("xy"), inputs(store.search("x[^0-9]", HistoryStore.ALL, false, false)));
        assertEquals(List.of(), inputs(store.search("img", HistoryStore.ALL, false, false)), "globs are anchored");
        assertEquals(List.of("ask(img, \"what?\")"), inputs(store.search("*what[?]*", HistoryStore.ALL, false, false)));
        assertEquals(List.of(), inputs(store.search("DISPLAY*", HistoryStore.ALL, false, false)), "case-sensitive");
    }

    @Test
    void corruptAndTornLinesAreSkipped() throws IOException {
        Files.writeString(file(), """
                {"session":1,"line":1,"input":"first"}
                this is not json
                {"session":1,"line":2,"input":"second","output":"2"}
                {"session":1,"line":3,"inp""");
        HistoryStore store = HistoryStore.open(file());
        assertEquals(2, store.session());
        assertEquals(List.of("first", "second"), inputs(store.tail(HistoryStore.ALL, false)));
        store.record(1, "third", null);

        assertEquals(List.of("first", "second", "third"),
                inputs(HistoryStore.open(file()).tail(HistoryStore.ALL, false)));
    }

    @Test
    void fileIsTrimmedByDroppingTheOldestSessions() throws IOException {
        for (int s = 0; s < 4; s++) {
            HistoryStore store = HistoryStore.open(file(), 100);
            for (int line = 1; line <= 3; line++) {
                store.record(line, "s" + store.session() + " l" + line, null);
            }
        }
        HistoryStore trimmed = HistoryStore.open(file(), 7);
        assertEquals(5, trimmed.session());
        assertEquals(6, trimmed.tail(HistoryStore.ALL, false).size(), "sessions 1 and 2 dropped whole");
        assertEquals("s3 l1", trimmed.tail(HistoryStore.ALL, false).get(0).input());
        long cellLines = Files.readAllLines(file()).stream().filter(l -> l.contains("\"input\"")).count();
        assertEquals(6, cellLines);
        assertEquals(6, HistoryStore.open(file(), 7).session(), "numbers keep counting up after a trim");
    }

    @Test
    void longSessionsAreTrimmedWhileRunning() throws IOException {
        HistoryStore old = HistoryStore.open(file(), 4);
        old.record(1, "old 1", null);
        old.record(2, "old 2", null);
        HistoryStore store = HistoryStore.open(file(), 4);
        for (int line = 1; line <= 5; line++) {
            store.record(line, "new " + line, null);
        }
        assertEquals(List.of("new 1", "new 2", "new 3", "new 4", "new 5"),
                inputs(store.tail(HistoryStore.ALL, false)), "the current session is never cut");
    }

    @Test
    void longOutputsAreCut() throws IOException {
        HistoryStore store = HistoryStore.open(file());
        store.record(1, "\"x\".repeat(10000)", "x".repeat(10_000));
        String output = store.tail(1, true).get(0).output();
        assertEquals(HistoryStore.MAX_OUTPUT_CHARS + 1, output.length());
        assertTrue(output.endsWith("…"));
    }

    @Test
    void unusableLocationNamesTheFileAndTheFix() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "");
        IOException e = assertThrows(IOException.class, () -> HistoryStore.open(blocker.resolve("history.jsonl")));
        assertTrue(e.getMessage().startsWith("Cannot open the history file " + blocker.resolve("history.jsonl")
                + ": cannot create its directory " + blocker), e.getMessage());
        assertTrue(e.getMessage().endsWith(". Set GLIMPSE_HISTORY to a writable file."), e.getMessage());
    }

    @Test
    void inMemoryStoreAnswersQueriesWithoutAFile() {
        HistoryStore store = HistoryStore.inMemory();
        store.record(1, "1+1", "2");
        assertNull(store.file());
        assertEquals(List.of("1+1"), inputs(store.range(0, 1, 2, false)));
    }
}
