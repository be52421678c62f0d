package dev.glimpse.pipeline;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.glm4v.Glm4vModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** askAll's core on the tiny random GLM-4V fixture: answers appended as they come, and a re-run resumes. */
class BatchRunnerTest {

    private static final String[] IMAGES = {"shapes_rgb.png", "small_p.png", "stripes_l.png", "tiny_rgb.png",
            "wide_rgb.png"};
    private static Glm4vModel glm;

    @TempDir
    Path dir;

    private Path folder;
    private CountingModel model;
    private BatchRunner runner;

    @BeforeAll
    static void load() {
        glm = Glm4vModel.load(PipelineFixtures.fixture("tiny-a/model"));
    }

    @AfterAll
    static void close() {
        glm.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        folder = dir.resolve("photos");
        Files.createDirectories(folder.resolve("more"));
        Files.createDirectories(folder.resolve(".ipynb_checkpoints"));
        for (int i = 0; i < IMAGES.length; i++) {
            Path target = (i == 4 ? folder.resolve("more") : folder).resolve(IMAGES[i]);
            Files.copy(PipelineFixtures.fixture("images/" + IMAGES[i]), target);
        }
        Files.copy(PipelineFixtures.fixture("images/tiny_rgb.png"), folder.resolve(".ipynb_checkpoints/x.png"));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        model = new CountingModel(glm);
        // sampling (the fixture's own settings), so that a recomputed answer would differ from the stored one
        runner = new BatchRunner(model).withOptions(glm.defaultOptions().withMaxNewTokens(3).withThinking(false));
    }

    @Test
    void listsImagesOfAFolderAndItsSubfoldersSkippingHiddenOnes() {
        List<String> files = BatchItem.fromFolder(folder).stream().map(BatchItem::file).toList();
        assertEquals(List.of("more/wide_rgb.png", "shapes_rgb.png", "small_p.png", "stripes_l.png", "tiny_rgb.png"),
                files);
    }

    @Test
    void folderErrorsNameTheFolder() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class, () -> BatchItem.fromFolder(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope does not exist"), missing.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var none = assertThrows(IllegalArgumentException.class, () -> BatchItem.fromFolder(empty));
        assertTrue(none.getMessage().contains("has no image files"), none.getMessage());
    }

    @Test
    void interruptedAfterKItemsTheRerunAsksOnlyTheRest() throws IOException {
        List<BatchItem> items = BatchItem.fromFolder(folder);
        Path csv = dir.resolve("photos-answers.csv");
        AtomicBoolean stop = new AtomicBoolean();
        int k = 2;
        BatchRun first = runner.run(items, "What is it?", csv, (result, done, total) -> {
            if (done == k) {
                stop.set(true);
            }
        }, stop::get);
        assertTrue(first.cancelled());
        assertEquals(k, first.results().size());
        assertEquals(k, model.calls(), "cancelled before the third image was asked");
        List<String> before = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(1 + k, before.size(), "header and one line per answer: " + before);

        int[] progress = new int[2];
        BatchRun second = runner.run(items, "What is it?", csv, new BatchProgress() {
            @Override
            public void started(int total, int alreadyDone) {
                progress[0] = alreadyDone;
            }

            @Override
            public void answered(BatchResult result, int done, int total) {
                progress[1] = done;
            }
        }, CancellationToken.NEVER);
        assertFalse(second.cancelled());
        assertEquals(items.size(), model.calls(), "the re-run asked only the " + (items.size() - k) + " missing");
        assertEquals(k, second.reused());
        assertEquals(k, progress[0]);
        assertEquals(items.size(), progress[1]);
        assertEquals(first.results(), second.results().subList(0, k), "the first answers are the stored ones");
        List<String> after = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(before, after.subList(0, before.size()), "earlier lines untouched");
        assertEquals(1 + items.size(), after.size());

        Table table = second.table();
        assertEquals(BatchRun.COLUMNS, table.columnNames());
        assertEquals(items.size(), table.rowCount());
        assertEquals("more/wide_rgb.png", table.stringColumn("file").get(0));
        assertTrue(table.intColumn("completion_tokens").min() >= 1);

        runner.run(items, "What is it?", csv, BatchProgress.NONE, CancellationToken.NEVER);
        assertEquals(items.size(), model.calls(), "a third run asks nothing");
        runner.run(items.subList(0, 1), "What colour?", csv, BatchProgress.NONE, CancellationToken.NEVER);
        assertEquals(items.size() + 1, model.calls(), "another prompt is asked again");
    }

    @Test
    void anImageThatCannotBeReadGetsAnErrorRowAndTheRunGoesOn() throws IOException {
        Path bad = Files.writeString(folder.resolve("broken.png"), "not a png");
        List<BatchItem> items = List.of(BatchItem.of(bad), BatchItem.of(folder.resolve("tiny_rgb.png")));
        BatchRun run = runner.run(items, "What?", dir.resolve("a.csv"), BatchProgress.NONE, CancellationToken.NEVER);
        assertEquals(1, model.calls());
        assertTrue(run.results().get(0).failed());
        assertTrue(run.results().get(0).error().contains("not in a format Java can decode"));
        assertFalse(run.results().get(1).failed());
        ResultsCsv reread = ResultsCsv.open(dir.resolve("a.csv"));
        assertEquals(run.results(), reread.rows());
    }

    @Test
    void aRecordTornByACrashIsCutOffAndAskedAgain() throws IOException {
        List<BatchItem> items = BatchItem.fromFolder(folder).subList(0, 2);
        Path csv = dir.resolve("torn.csv");
        runner.run(items.subList(0, 1), "Q", csv, BatchProgress.NONE, CancellationToken.NEVER);
        String whole = Files.readString(csv);
        Files.writeString(csv, whole + "\"small_p.png\",\"Q\",\"half an ans", StandardCharsets.UTF_8);
        BatchRun run = runner.run(items, "Q", csv, BatchProgress.NONE, CancellationToken.NEVER);
        assertEquals(1, run.reused());
        assertEquals(2, model.calls());
        List<List<String>> records = CsvRecords.parse(Files.readString(csv)).records();
        assertEquals(3, records.size(), "header and two whole records");
        assertEquals(ResultsCsv.COLUMNS, records.get(0));
    }

    @Test
    void aCsvWithOtherColumnsIsRefused() throws IOException {
        Path csv = Files.writeString(dir.resolve("other.csv"), "name,value\na,1\n");
        var e = assertThrows(IllegalArgumentException.class, () -> runner.run(BatchItem.fromFolder(folder), "Q", csv,
                BatchProgress.NONE, CancellationToken.NEVER));
        assertTrue(e.getMessage().contains("it was not written by askAll"), e.getMessage());
        assertEquals(0, model.calls());
    }

    @Test
    void csvRecordsReadWhatCsvTableQuotes() {
        List<String> fields = List.of("plain", "with, comma", "say \"hi\"", "two\nlines", " padded ", "");
        List<String> quoted = new ArrayList<>();
        fields.forEach(f -> quoted.add(CsvTable.quote(f)));
        String text = String.join(",", quoted) + "\r\n" + "x,y\n" + "torn,\"open";
        CsvRecords csv = CsvRecords.parse(text);
        assertEquals(List.of(fields, List.of("x", "y")), csv.records());
        assertTrue(csv.torn(text));
        assertEquals(text.indexOf("torn"), csv.complete());
    }
}
