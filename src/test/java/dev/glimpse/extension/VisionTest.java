package dev.glimpse.extension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helpers from plain Java (no notebook), on the tiny random GLM-4V fixture. */
class VisionTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void useFixture() {
        Vision.useModel(ExtensionFixtures.model());
        Vision.setDefaultOptions(Vision.options().noThink().maxTokens(4).temperature(0));
    }

    @AfterAll
    static void reset() {
        Vision.setDefaultOptions(null);
    }

    @Test
    void askIsGreedyUnlessATemperatureIsGivenAndKeepsTheModelsOtherSettings() {
        // tiny-a's generation_config.json samples: do_sample, temperature 0.8, top-k 2, top-p 0.6
        var base = Session.baseOptions(ExtensionFixtures.model());
        assertEquals(0.0, base.temperature(), "the same question gets the same answer");
        assertEquals(2, base.topK());
        assertEquals(0.6, base.topP(), 1e-6);
        assertEquals(0.7, Vision.options().temperature(0.7).applyTo(base).temperature());
    }

    @Test
    void askReturnsTheAnswerWithWhatItAnswered() {
        Image img = Vision.image(ExtensionFixtures.image("shapes_rgb.png"));
        Answer a = Vision.ask(img, "What shape is red?");
        assertEquals("What shape is red?", a.prompt());
        assertEquals(List.of(img), a.images());
        assertEquals(4, a.completionTokens(), "the fixture never stops early; the defaults cap it at 4");
        assertTrue(a.truncated());
        assertTrue(a.promptTokens() > 10);
        assertEquals("model", a.model().name());
        assertSame(a, Vision.lastAnswer());
        assertEquals(a.text(), a.toString());
        Answer greedyAgain = Vision.ask(img, "What shape is red?");
        assertEquals(a.text(), greedyAgain.text(), "greedy answers repeat");
        assertEquals(2, Vision.ask(img, "Hm?", Vision.options().maxTokens(2)).completionTokens(), "call options win");
        assertThrows(IllegalArgumentException.class, () -> Vision.ask(img, " "));
    }

    @Test
    void chatSendsEarlierTurnsAlongAndResets() {
        Image img = Vision.image(ExtensionFixtures.image("tiny_rgb.png"));
        Chat chat = Vision.chat();
        Answer first = chat.ask(img, "What is this?");
        Answer second = chat.ask("And the colour?");
        Answer alone = Vision.ask("And the colour?");
        assertEquals(List.of(first, second), chat.history());
        assertTrue(second.promptTokens() > first.promptTokens() + alone.promptTokens() - 5,
                "the second turn carries the first (image, question, answer): " + second.promptTokens() + " vs "
                        + first.promptTokens() + " + " + alone.promptTokens());
        chat.reset();
        assertEquals(0, chat.turns());
        assertEquals(alone.promptTokens(), chat.ask("And the colour?").promptTokens(), "after reset it starts afresh");
        assertTrue(ChatView.bundle(chat).get(Bundle.HTML).contains("And the colour?"));
    }

    @Test
    void askAllKeepsAnswersBesideTheFolderAndResumes() throws IOException {
        Path photos = dir.resolve("photos");
        ExtensionFixtures.copyImages(photos, "small_p.png", "tiny_rgb.png");
        Table first = Vision.askAll(photos, "Which shape?");
        Path csv = dir.resolve("photos-answers.csv");
        assertEquals(csv, Vision.defaultCsv(photos));
        assertTrue(Files.exists(csv));
        assertEquals(List.of("file", "prompt", "answer", "latency_ms", "prompt_tokens", "completion_tokens", "model",
                "error"), first.columnNames());
        assertEquals(List.of("small_p.png", "tiny_rgb.png"), first.stringColumn("file").asList());
        Table again = Vision.askAll(photos.toString(), "Which shape?");
        assertEquals(first.doubleColumn("latency_ms").asList(), again.doubleColumn("latency_ms").asList(),
                "read back from the CSV, not asked again");

        Path mine = dir.resolve("mine.csv");
        Table listed = Vision.askAll(List.of(photos.resolve("tiny_rgb.png").toString()), "Which shape?", mine);
        assertEquals(1, listed.rowCount());
        assertTrue(Files.exists(mine));
        assertEquals(Path.of("answers.csv").toAbsolutePath(), Vision.defaultCsv(List.of("a.png")));
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.askAll(42, "Q"));
        assertTrue(e.getMessage().contains("askAll takes a folder"), e.getMessage());
    }

    private Path twoQuestions() throws IOException {
        ExtensionFixtures.copyImages(dir, "shapes_rgb.png", "small_p.png");
        return Files.writeString(dir.resolve("eval.jsonl"), """
                {"image": "shapes_rgb.png", "question": "What shape is red?", "answer": "circle", "type": "shape"}
                {"image": "small_p.png", "question": "What colour?", "answer": "red", "type": "color"}
                """);
    }

    @Test
    void evaluateRunsAJsonlDataSet() throws IOException {
        Path jsonl = twoQuestions();
        Scorecard s = Vision.evaluate(jsonl.toString(), Vision.options().maxTokens(3));
        assertEquals(2, s.report().overall().items());
        assertEquals(2, s.table().rowCount());
        assertFalse(s.interrupted());
        assertEquals(s.report().overall().items() - s.report().overall().correct(), s.failures().rowCount());
        assertTrue(s.toString().contains("questions"));
    }

    @Test
    void evaluateWithAnAnswersFileResumesAndScoresAsFromScratch() throws IOException {
        Path jsonl = twoQuestions();
        Path answers = dir.resolve("eval-answers.csv");
        Scorecard first = Vision.evaluate(jsonl.toString(), answers, Vision.options().maxTokens(3));
        assertEquals(0, first.evaluation().resumed());
        assertEquals(3, Files.readAllLines(answers).size(), "a header and a row per question");
        Scorecard again = Vision.evaluate(jsonl.toString(), answers, Vision.options().maxTokens(3));
        assertEquals(2, again.evaluation().resumed());
        assertEquals(first.table().removeColumns("latency_ms").printAll(),
                again.table().removeColumns("latency_ms").printAll());
        assertEquals(0, Vision.evaluate(jsonl.toString(), answers, Vision.options().maxTokens(2)).evaluation()
                .resumed(), "another token limit is asked again");
    }
}
