package dev.glimpse.cli;

import dev.glimpse.engine.ModelLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glimpse eval} through {@link Main}, on the tiny random fixture model (accuracy 0 is a valid result). */
class EvalCommandTest {

    private final CapturedCli cli = new CapturedCli();

    @TempDir
    Path dir;

    private Path data;
    private Path csv;

    private static Path fixture(String path) {
        try {
            return Path.of(EvalCommandTest.class.getResource("/glm4v/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void dataSet() throws IOException {
        Files.createDirectories(dir.resolve("images"));
        for (String image : List.of("shapes_rgb.png", "stripes_l.png", "small_p.png")) {
            Files.copy(fixture("images/" + image), dir.resolve("images").resolve(image));
        }
        data = Files.writeString(dir.resolve("shapes.jsonl"), """
                {"image": "images/shapes_rgb.png", "question": "What shape is red?", "answer": "circle",\
                 "type": "shape"}
                {"image": "images/stripes_l.png", "question": "How many stripes, counted left to right?",\
                 "answer": "4", "type": "count"}
                {"image": "images/small_p.png", "question": "What colour is it?", "answer": "Red"}
                """);
        csv = dir.resolve("results.csv");
    }

    private CliEnvironment environment(Path home, boolean terminal) {
        return new CliEnvironment(ModelLocation.resolve(null, home), terminal);
    }

    private int run(String... args) {
        return run(environment(dir.resolve("no-installation"), false), args);
    }

    private int run(CliEnvironment environment, String... args) {
        return cli.run(environment, args);
    }

    private static Table readCsv(Path file) {
        ColumnType[] types = new ColumnType[10];
        java.util.Arrays.fill(types, ColumnType.STRING);
        return Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).columnTypes(types).build());
    }

    @Test
    void evaluatesTheDataSetPrintsTheReportAndWritesTheCsv() throws IOException {
        int code = run("eval", "--model", fixture("tiny-a/model").toString(), "--data", data.toString(),
                "--out", csv.toString(), "--no-think", "--max-tokens", "5");
        assertEquals(0, code, cli.stderr());

        List<String> lines = Files.readAllLines(csv);
        assertEquals("image,type,question,matcher,expected,answer,correct,score,why,latency_ms", lines.get(0));
        Table table = readCsv(csv);
        assertEquals(List.of("image", "type", "question", "matcher", "expected", "answer", "correct", "score", "why",
                "latency_ms"), table.columnNames());
        assertEquals(3, table.rowCount());
        assertEquals(List.of("images/shapes_rgb.png", "images/stripes_l.png", "images/small_p.png"),
                table.stringColumn("image").asList());
        assertEquals(List.of("shape", "count", "default"), table.stringColumn("type").asList());
        assertEquals("How many stripes, counted left to right?", table.stringColumn("question").get(1));
        for (String correct : table.stringColumn("correct")) {
            assertTrue(correct.equals("true") || correct.equals("false"), correct);
        }
        for (String latency : table.stringColumn("latency_ms")) {
            assertTrue(Double.parseDouble(latency) > 0, latency);
        }

        String report = cli.stdout();
        assertTrue(report.startsWith("model (cpu(), float32)"), "names the model directory: " + report);
        assertTrue(report.contains("on shapes.jsonl: 3 questions, greedy, thinking off, at most 5 new tokens"), report);
        assertTrue(report.contains("type     items  correct  accuracy  score\n"), report);
        for (String row : new String[] {"count  ", "default", "shape  ", "overall"}) {
            assertTrue(report.lines().anyMatch(l -> l.startsWith(row) && l.matches(".*%  [01]\\.\\d{3}")),
                    row + " in\n" + report);
        }
        assertTrue(report.lines().anyMatch(l -> l.matches("overall +3 +[0-3] +\\d+\\.\\d% +[01]\\.\\d{3}")), report);
        assertTrue(report.contains("latency ms (nearest rank, 3 answers): p50 "), report);
        assertTrue(report.contains("answers: " + csv.toAbsolutePath() + " (3 rows)"), report);

        String progress = cli.stderr();
        assertTrue(progress.contains("eval 1/3"), progress);
        assertTrue(progress.contains("eval 3/3  100%"), progress);
        assertFalse(progress.contains("\r"), "not a terminal: one line per step");
    }

    @Test
    void limitAndTheDefaultModelAndOutputFile(@TempDir Path home) throws IOException {
        FixtureModel.installAsDefault(home);
        Path defaultOut = Path.of("shapes-results.csv");
        Files.deleteIfExists(defaultOut);
        try {
            int code = run(environment(home, true), "eval", "--data", data.toString(), "--limit", "2", "--no-think",
                    "--max-tokens", "3");
            assertEquals(0, code, cli.stderr());
            assertEquals(2, readCsv(defaultOut).rowCount());
            assertTrue(cli.stdout().startsWith("glimpse-tiny (cpu(), float32) on shapes.jsonl: 2 questions"), cli.stdout());
            assertTrue(cli.stdout().contains("answers: " + defaultOut.toAbsolutePath() + " (2 rows)"), cli.stdout());
            assertTrue(cli.stderr().contains("\reval 1/2"), "a terminal redraws one line: " + cli.stderr());
            assertTrue(cli.stderr().contains("\reval 2/2  100%"), cli.stderr());
        } finally {
            Files.deleteIfExists(defaultOut);
            Files.deleteIfExists(EvalCommand.answersFile(defaultOut));
        }
    }

    @Test
    void answersWithCommasQuotesAndNewlinesSurviveTheCsv() throws IOException {
        // expected answers are written as the data set has them: a field with all three needs quoting
        Files.writeString(data, """
                {"image": "images/shapes_rgb.png", "question": "Say \\"hi\\", then\\nstop", "answer": "a, \\"b\\"\\nc"}
                """);
        assertEquals(0, run("eval", "--model", fixture("tiny-a/model").toString(), "--data", data.toString(),
                "--out", csv.toString(), "--no-think", "--max-tokens", "2"), cli.stderr());
        Table table = readCsv(csv);
        assertEquals(1, table.rowCount());
        assertEquals("Say \"hi\", then\nstop", table.stringColumn("question").get(0));
        assertEquals("a, \"b\"\nc", table.stringColumn("expected").get(0));
    }

    @Test
    void helpIsPrintedWithExitZero() {
        assertEquals(0, run("eval", "--help"));
        assertTrue(cli.stdout().startsWith("usage: glimpse eval [--model DIR|URL] --data FILE.jsonl [options]"), cli.stdout());
        assertTrue(cli.stdout().contains("--limit N"));
        assertEquals(0, run("help"));
        assertTrue(cli.stdout().contains("eval   measure a model's accuracy"));
    }

    @Test
    void userErrorsExitWithTwoAndSayWhatToFix() throws IOException {
        String model = fixture("tiny-a/model").toString();
        Path bad = Files.writeString(dir.resolve("bad.jsonl"),
                "{\"image\": \"images/shapes_rgb.png\", \"question\": \"Q\", \"answer\": \"A\"}\n{\"image\": 3}\n");
        Path missingImage = Files.writeString(dir.resolve("missing.jsonl"),
                "{\"image\": \"images/cat.png\", \"question\": \"Q\", \"answer\": \"A\"}\n");
        List<String[]> cases = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        cases.add(new String[] {"eval", "--model", model});
        expected.add("Missing --data, e.g. --data questions.jsonl");
        cases.add(new String[] {"eval", "--model", model, "--data", dir.resolve("nope.jsonl").toString()});
        expected.add("--data file " + dir.resolve("nope.jsonl") + " does not exist");
        cases.add(new String[] {"eval", "--model", model, "--data", dir.toString()});
        expected.add("--data " + dir + " is a directory; pass a .jsonl file");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--limit", "0"});
        expected.add("--limit must be at least 1, was 0");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--out",
            dir.resolve("no/such/dir/out.csv").toString()});
        expected.add("--out " + dir.resolve("no/such/dir/out.csv") + ": directory " + dir.resolve("no/such/dir")
                + " does not exist; create it first");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--out", dir.toString()});
        expected.add("--out " + dir + " is a directory; give a file name");
        cases.add(new String[] {"eval", "--model", model, "--data", bad.toString()});
        expected.add(bad + ":2: \"image\" must be a string, found a number");
        cases.add(new String[] {"eval", "--model", model, "--data", missingImage.toString()});
        expected.add(missingImage + ":1: image file " + dir.resolve("images/cat.png") + " does not exist");
        cases.add(new String[] {"eval", "--data", data.toString()});
        expected.add("No model given, and the default model " + dir.resolve("no-installation/models/glimpse-tiny")
                + " is missing. Give --model DIR or set GLIMPSE_MODEL");
        cases.add(new String[] {"eval", "--model", dir.resolve("nope").toString(), "--data", data.toString()});
        expected.add("--model directory " + dir.resolve("nope") + " does not exist");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--concurrency", "0"});
        expected.add("--concurrency must be at least 1, was 0");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--judge", "gpu-box"});
        expected.add("--judge gpu-box is not an endpoint URL; give one like http://localhost:8000/v1");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--judge-model", "glm"});
        expected.add("--judge-model needs --judge URL");
        cases.add(new String[] {"eval", "--model", model, "--data", data.toString(), "--think"});
        expected.add("Unknown option --think");
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(2, run(cases.get(i)), String.join(" ", cases.get(i)) + "\n" + cli.stderr());
            assertTrue(cli.stderr().contains("glimpse eval: " + expected.get(i)),
                    "expected «" + expected.get(i) + "» in «" + cli.stderr() + "»");
        }
        assertFalse(Files.exists(csv), "no CSV for a run that failed");
    }

    @Test
    void anUndecodableImageIsAnErrorRowAndEverythingElseIsKept() throws IOException {
        Files.writeString(dir.resolve("images/notes.png"), "not a picture");
        Files.writeString(data, Files.readString(data)
                + "{\"image\": \"images/notes.png\", \"question\": \"Q\", \"answer\": \"A\", \"type\": \"shape\"}\n");
        int code = run("eval", "--model", fixture("tiny-a/model").toString(), "--data", data.toString(),
                "--out", csv.toString(), "--no-think", "--max-tokens", "3");
        assertEquals(0, code, cli.stderr());
        Table table = readCsv(csv);
        assertEquals(4, table.rowCount(), "the three good items and the error row");
        assertEquals("false", table.stringColumn("correct").get(3));
        assertTrue(table.stringColumn("why").get(3).startsWith("error: cannot read the image images/notes.png"),
                table.stringColumn("why").get(3));
        assertTrue(cli.stdout().contains("1 of 4 questions could not be answered"), cli.stdout());
        assertTrue(cli.stdout().contains("failures:\nshapes.jsonl:"), cli.stdout());
        assertTrue(cli.stdout().contains("images/notes.png: expected \"A\" (error: cannot read the image images/notes.png"),
                cli.stdout());
        assertTrue(cli.stdout().lines().anyMatch(l -> l.matches("overall +4 +[0-3] +\\d+\\.\\d% +[01]\\.\\d{3} +1")),
                cli.stdout());
    }

    @Test
    void aRunCutShortIsFinishedByRunningItAgainAndScoresAsARunFromScratch() throws IOException {
        String model = fixture("tiny-a/model").toString();
        assertEquals(0, run("eval", "--model", model, "--data", data.toString(), "--out", csv.toString(),
                "--no-think", "--max-tokens", "3", "--limit", "2"), cli.stderr());
        assertTrue(Files.exists(dir.resolve("results.answers.csv")), "answers kept beside the results");
        assertEquals(0, run("eval", "--model", model, "--data", data.toString(), "--out", csv.toString(),
                "--no-think", "--max-tokens", "3"), cli.stderr());
        assertTrue(cli.stderr().contains("glimpse eval: resumed 2 of 3 answers from "
                + dir.resolve("results.answers.csv")), cli.stderr());
        String resumedReport = cli.stdout();

        Path scratch = dir.resolve("scratch.csv");
        assertEquals(0, run("eval", "--model", model, "--data", data.toString(), "--out", scratch.toString(),
                "--no-think", "--max-tokens", "3"), cli.stderr());
        assertFalse(cli.stderr().contains("resumed"), cli.stderr());
        assertEquals(readCsv(scratch).removeColumns("latency_ms").setName("rows").printAll(),
                readCsv(csv).removeColumns("latency_ms").setName("rows").printAll());
        assertEquals(accuracyLines(cli.stdout()), accuracyLines(resumedReport));

        assertEquals(0, run("eval", "--model", model, "--data", data.toString(), "--out", csv.toString(),
                "--no-think", "--max-tokens", "4"), cli.stderr());
        assertFalse(cli.stderr().contains("resumed"), "other options are asked again: " + cli.stderr());
    }

    private static List<String> accuracyLines(String report) {
        return report.lines().filter(l -> l.matches("(count|default|shape|overall) .*")).toList();
    }

    @Test
    void theAnswersFileSitsBesideTheResults() {
        assertEquals(Path.of("out/results.answers.csv"), EvalCommand.answersFile(Path.of("out/results.csv")));
        assertEquals(Path.of("results.answers.csv"), EvalCommand.answersFile(Path.of("results")));
    }

    @Test
    void defaultOutputIsNamedAfterTheDataFile() {
        assertEquals(Path.of("shapes-results.csv"), EvalCommand.defaultOut(Path.of("data/shapes.jsonl")));
        assertEquals(Path.of("questions-results.csv"), EvalCommand.defaultOut(Path.of("questions")));
        assertEquals(Path.of(".hidden-results.csv"), EvalCommand.defaultOut(Path.of(".hidden")));
    }

    @Test
    void progressClockIsMinutesAndSeconds() {
        assertEquals("0:00", ProgressLine.clock(0.2));
        assertEquals("1:05", ProgressLine.clock(65));
        assertEquals("1:00:01", ProgressLine.clock(3601));
    }
}
