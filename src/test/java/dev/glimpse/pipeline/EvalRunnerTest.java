package dev.glimpse.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.glm4v.Glm4vModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EvalRunner} on the tiny random GLM-4V fixture: its answers are gibberish, but real and deterministic. */
class EvalRunnerTest {

    private static Glm4vModel model;

    @TempDir
    Path dir;

    private EvalDataset data;
    private EvalRunner runner;

    @BeforeAll
    static void load() {
        model = Glm4vModel.load(PipelineFixtures.fixture("tiny-a/model"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @BeforeEach
    void dataset() throws IOException {
        PipelineFixtures.copyImages(dir, "shapes_rgb.png", "stripes_l.png", "small_p.png");
        data = EvalDataset.read(write(
                line("shapes_rgb.png", "What shape is red?", "circle", "shape"),
                line("stripes_l.png", "How many stripes?", "4", "count"),
                line("small_p.png", "What shape is it?", "square", "shape")));
        runner = new EvalRunner(model).withThinking(false).withMaxNewTokens(6);
    }

    private static String line(String image, String question, String answer, String type) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("image", "images/" + image);
        fields.put("question", question);
        fields.put("answer", answer);
        fields.put("type", type);
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(String... lines) throws IOException {
        return Files.writeString(dir.resolve("questions.jsonl"), String.join("\n", lines));
    }

    private String greedyAnswer(String image, String question) {
        Prompt prompt = Prompt.of(question, new ImageLoader().load(dir.resolve("images").resolve(image)));
        Answer a = model.generate(prompt, runner.options());
        return a.text();
    }

    @Test
    void defaultsAreGreedyWithThinking() {
        EvalRunner defaults = new EvalRunner(model);
        assertEquals(GenerationOptions.DEFAULT, defaults.options());
        assertTrue(defaults.options().greedy() && defaults.options().thinking());
        assertFalse(defaults.withThinking(false).options().thinking());
    }

    @Test
    void answersEveryQuestionInOrderWithProgressTimingsAndMatching() {
        List<String> progress = new ArrayList<>();
        Evaluation e = runner.run(data, (r, done, total) -> progress.add(r.image() + " " + done + "/" + total),
                CancellationToken.NEVER);
        assertFalse(e.cancelled());
        assertEquals(3, e.planned());
        assertEquals(List.of("images/shapes_rgb.png 1/3", "images/stripes_l.png 2/3", "images/small_p.png 3/3"),
                progress);
        assertEquals(data.items(), e.results().stream().map(EvalResult::item).toList());
        for (EvalResult r : e.results()) {
            assertTrue(r.latencyMillis() > 0, r.toString());
            assertTrue(r.usage().completionTokens() >= 1 && r.usage().completionTokens() <= 6, r.toString());
            assertEquals(AnswerMatcher.NORMALIZED.matches(r.expected(), r.answer()), r.correct());
        }
        // what was matched is exactly the model's answer text for that question
        assertEquals(greedyAnswer("stripes_l.png", "How many stripes?"), e.results().get(1).answer());
        assertEquals(model.info(), e.model());
        assertEquals(3, e.report().overall().items());
    }

    @Test
    void anAnswerEqualToTheExpectedOneIsCorrect() throws IOException {
        String actual = greedyAnswer("shapes_rgb.png", "What shape is red?");
        assertFalse(actual.isBlank(), "the fixture answers with some text: " + actual);
        String expected = actual.strip().toUpperCase(java.util.Locale.ROOT) + ".";
        EvalDataset d = EvalDataset.read(write(
                line("shapes_rgb.png", "What shape is red?", expected, "shape"),
                line("shapes_rgb.png", "What shape is red?", "not " + expected, "shape")));
        Evaluation e = runner.run(d);
        assertTrue(e.results().get(0).correct(), e.results().get(0).toString());
        assertFalse(e.results().get(1).correct());
        assertEquals(new Accuracy("shape", 2, 1), e.report().accuracyOf("shape").orElseThrow());
        // another matcher decides differently about the same answers
        Evaluation lenient = runner.withMatcher((exp, answer) -> exp.startsWith("not ")).run(d);
        assertEquals(List.of(false, true), lenient.results().stream().map(EvalResult::correct).toList());
    }

    @Test
    void theResultTableHasTheCsvColumns() {
        Table t = runner.run(data).table();
        assertEquals(Evaluation.COLUMNS, t.columnNames());
        assertEquals(List.of("image", "type", "question", "matcher", "expected", "answer", "correct", "score", "why",
                "latency_ms"), t.columnNames());
        assertEquals(List.of("answer", "answer", "answer"), t.stringColumn("matcher").asList());
        assertEquals(3, t.rowCount());
        assertEquals(List.of("shape", "count", "shape"), t.stringColumn("type").asList());
        assertEquals("4", t.stringColumn("expected").get(1));
        assertEquals("eval questions.jsonl", t.name());
    }

    @Test
    void cancellingBetweenQuestionsKeepsTheAnswersSoFar() {
        AtomicBoolean cancel = new AtomicBoolean();
        Evaluation e = runner.run(data, (r, done, total) -> cancel.set(true), cancel::get);
        assertTrue(e.cancelled());
        assertEquals(1, e.results().size());
        assertEquals(3, e.planned());
        assertEquals(1, e.report().overall().items());
    }

    @Test
    void cancellingDuringAQuestionDropsItsPartialAnswer() {
        AtomicBoolean first = new AtomicBoolean();
        AtomicInteger checksAfterFirst = new AtomicInteger();
        // the runner checks once before the second question; the model checks again between decoding steps
        CancellationToken token = () -> first.get() && checksAfterFirst.incrementAndGet() >= 2;
        Evaluation e = runner.run(data, (r, done, total) -> first.set(true), token);
        assertTrue(e.cancelled());
        assertEquals(1, e.results().size());
        assertTrue(checksAfterFirst.get() >= 2, "the model was asked mid-answer");
    }

    @Test
    void anUndecodableImageBecomesAnErrorRowAndTheRunGoesOn() throws IOException {
        Files.writeString(dir.resolve("images/notes.png"), "not a picture");
        EvalDataset d = EvalDataset.read(write(line("shapes_rgb.png", "Q", "A", "x"),
                line("notes.png", "Q", "A", "x"), line("small_p.png", "Q", "A", "x")));
        Evaluation e = runner.run(d);
        assertFalse(e.cancelled());
        assertEquals(3, e.results().size(), "nothing gathered before or after the bad image is lost");
        EvalResult bad = e.results().get(1);
        assertTrue(bad.failed() && !bad.correct(), bad.toString());
        assertTrue(bad.error().contains("images/notes.png") && bad.error().contains("is not in a format Java can "
                + "decode"), bad.error());
        assertFalse(e.results().get(0).failed() || e.results().get(2).failed());
        assertEquals(1, e.report().overall().errors());
        assertEquals(2, e.report().latency().count(), "an error row has no latency");
        Table failures = e.failures();
        assertEquals(Evaluation.FAILURE_COLUMNS, failures.columnNames());
        assertTrue(failures.stringColumn("why").asList().stream().anyMatch(w -> w.startsWith("error: cannot read "
                + "the image images/notes.png")), failures.print());
    }

    @Test
    void csvHasTheColumnsAndOneRowPerAnswer() throws IOException {
        Path csv = dir.resolve("out.csv");
        Evaluation e = runner.run(data);
        e.writeCsv(csv);
        String text = Files.readString(csv);
        assertTrue(text.startsWith("image,type,question,matcher,expected,answer,correct,score,why,latency_ms\n"),
                text);
        assertEquals(CsvTable.toCsv(e.table()), text);
        Table back = Table.read().csv(csv.toFile());
        assertEquals(3, back.rowCount());
        assertEquals(Evaluation.COLUMNS, back.columnNames());
    }
}
