package dev.glimpse.pipeline;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EvalRunner} against OpenAI-compatible stand-in endpoints: in flight at once, in order, judged. */
class EvalAgainstEndpointTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private EvalDataset dataset(int n, String matcher) throws IOException {
        List<Path> images = PipelineFixtures.distinctImages(dir.resolve("images"), n);
        StringBuilder lines = new StringBuilder();
        for (Path p : images) {
            lines.append("{\"image\": \"images/").append(p.getFileName()).append("\", \"question\": \"Describe it.\", ")
                    .append(matcher).append(", \"type\": \"caption\"}\n");
        }
        return EvalDataset.read(Files.writeString(dir.resolve("eval.jsonl"), lines));
    }

    private EvalRunner runner(StandInEndpoint endpoint) {
        OpenAiCompatibleModel model = keep(OpenAiCompatibleModel.connect(endpoint.url(), null, null));
        return new EvalRunner(model).withOptions(GenerationOptions.DEFAULT.withThinking(false).withMaxNewTokens(8));
    }

    @Test
    void questionsGoOutConcurrentlyAndComeBackInDataSetOrder() throws IOException {
        EvalDataset data = dataset(10, "\"regex\": \"^answer [0-9a-f]{12}$\"");
        StandInEndpoint endpoint = keep(StandInEndpoint.start(60));
        List<Integer> progress = new ArrayList<>();
        Evaluation e = runner(endpoint).withConcurrency(5).run(data, (r, done, total) -> progress.add(done),
                CancellationToken.NEVER);
        assertEquals(5, endpoint.mostInFlight());
        assertEquals(data.items(), e.results().stream().map(EvalResult::item).toList());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 10).boxed().toList(), progress);
        assertEquals(10, e.report().overall().correct());
        Evaluation sequential = runner(keep(StandInEndpoint.start(0))).run(data);
        assertEquals(sequential.results().stream().map(EvalResult::answer).toList(),
                e.results().stream().map(EvalResult::answer).toList(), "each question got its own answer");
    }

    @Test
    void judgeItemsAreGradedByAnotherEndpoint() throws IOException {
        EvalDataset data = dataset(2, "\"judge\": \"A calm caption that names the colour.\"");
        OpenAiCompatibleModel grader = keep(OpenAiCompatibleModel.connect(keep(StandInEndpoint.replying("4")).url(),
                null, null));
        Evaluation e = runner(keep(StandInEndpoint.start(0))).withJudge(new ModelJudge(grader)).run(data);
        assertTrue(e.results().stream().allMatch(EvalResult::correct), e.results().toString());
        assertEquals(0.75, e.report().overall().meanScore(), 1e-12);
        assertEquals("judge grade 4 of 5", e.results().get(0).score().why());

        OpenAiCompatibleModel rambler = keep(OpenAiCompatibleModel.connect(
                keep(StandInEndpoint.replying("a lovely caption")).url(), null, null));
        Evaluation ungraded = runner(keep(StandInEndpoint.start(0))).withJudge(new ModelJudge(rambler)).run(data);
        EvalResult r = ungraded.results().get(0);
        assertTrue(r.failed() && !r.correct(), r.toString());
        assertEquals("the judge failed: the judge (" + StandInEndpoint.MODEL + ") replied without a grade 1–5: "
                + "\"a lovely caption\"", r.error());
        assertFalse(r.answer().isEmpty(), "the answer is kept beside the judge's failure");
    }

    @Test
    void theModelUnderTestJudgesByDefault() throws IOException {
        EvalDataset data = dataset(1, "\"judge\": \"names the colour\"");
        StandInEndpoint endpoint = keep(StandInEndpoint.start(0));
        Evaluation e = runner(endpoint).run(data);
        assertEquals(2, endpoint.requests(), "one answer, one grading");
        assertTrue(e.results().get(0).error().contains("replied without a grade"), e.results().toString());
    }

    @Test
    void anAnswerTheJudgeFailedOnIsNotAskedAgainOnlyGradedAgain() throws IOException {
        EvalDataset data = dataset(2, "\"judge\": \"names the colour\"");
        Path answers = dir.resolve("judged.answers.csv");
        StandInEndpoint endpoint = keep(StandInEndpoint.start(0));
        OpenAiCompatibleModel rambler = keep(OpenAiCompatibleModel.connect(
                keep(StandInEndpoint.replying("a lovely caption")).url(), null, null));
        Evaluation first = runner(endpoint).withJudge(new ModelJudge(rambler)).withAnswersFile(answers).run(data);
        assertTrue(first.results().get(0).error().startsWith("the judge failed: "), first.results().toString());
        assertEquals(2, endpoint.requests());

        OpenAiCompatibleModel grader = keep(OpenAiCompatibleModel.connect(keep(StandInEndpoint.replying("4")).url(),
                null, null));
        Evaluation again = runner(endpoint).withJudge(new ModelJudge(grader)).withAnswersFile(answers).run(data);
        assertEquals(2, endpoint.requests(), "the answers were fine: only the judging failed");
        assertEquals(2, again.resumed());
        assertTrue(again.results().stream().allMatch(EvalResult::correct), again.results().toString());
        assertEquals(first.results().get(0).answer(), again.results().get(0).answer());
    }

    private EvalDataset halfRight(int n) throws IOException {
        // the stand-in's answers are hashes: about half start with 0-7
        return dataset(n, "\"regex\": \"^answer [0-7]\"");
    }

    private static String withoutLatency(Evaluation e) {
        return e.table().removeColumns("latency_ms").printAll();
    }

    @Test
    void anInterruptedRunIsFinishedByRunningItAgainWithoutAskingTwice() throws IOException {
        EvalDataset data = halfRight(8);
        Path answers = dir.resolve("eval.answers.csv");
        StandInEndpoint endpoint = keep(StandInEndpoint.start(0));
        boolean[] stop = {false};
        Evaluation cut = runner(endpoint).withAnswersFile(answers).run(data, (r, done, total) -> stop[0] = done == 3,
                () -> stop[0]);
        assertTrue(cut.cancelled());
        assertEquals(3, cut.results().size());
        assertEquals(3, endpoint.requests());

        Evaluation finished = runner(endpoint).withAnswersFile(answers).withConcurrency(3).run(data);
        assertEquals(8, endpoint.requests(), "only the five not answered yet are asked");
        assertEquals(3, finished.resumed());
        assertEquals(8, finished.results().size());

        Evaluation scratch = runner(keep(StandInEndpoint.start(0))).run(data);
        assertEquals(0, scratch.resumed());
        assertEquals(withoutLatency(scratch), withoutLatency(finished));
        assertEquals(scratch.report().overall(), finished.report().overall());
        assertEquals(9, ResultsCsv.open(answers).rows().size() + 1, "one row per question in askAll's format");

        Evaluation again = runner(endpoint).withAnswersFile(answers).run(data);
        assertEquals(8, endpoint.requests(), "nothing is asked twice");
        assertEquals(8, again.resumed());
        assertEquals(withoutLatency(scratch), withoutLatency(again));
    }

    @Test
    void otherOptionsAndFailedQuestionsAreAskedAgain() throws IOException {
        EvalDataset data = halfRight(4);
        Path answers = dir.resolve("eval.answers.csv");
        StandInEndpoint failingOnce = keep(StandInEndpoint.failingFirst(1, 500, 0));
        Evaluation first = runner(failingOnce).withRetries(RetryPolicy.NONE).withAnswersFile(answers).run(data);
        assertTrue(first.results().get(0).failed(), first.results().toString());
        assertEquals(4, failingOnce.requests());

        Evaluation retried = runner(failingOnce).withAnswersFile(answers).run(data);
        assertEquals(5, failingOnce.requests(), "the error row is asked again, the rest is kept");
        assertEquals(3, retried.resumed());
        assertFalse(retried.results().get(0).failed());

        Evaluation longer = runner(failingOnce).withMaxNewTokens(9).withAnswersFile(answers).run(data);
        assertEquals(9, failingOnce.requests(), "another token limit asks everything again");
        assertEquals(0, longer.resumed());
        assertFalse(longer.results().get(1).answer().equals(retried.results().get(1).answer()),
                "the stand-in's answer names the request, which carries the token limit");

        Evaluation back = runner(failingOnce).withAnswersFile(answers).run(data);
        assertEquals(9, failingOnce.requests(), "the first options' answers are still in the file");
        assertEquals(4, back.resumed());
        assertEquals(withoutLatency(retried), withoutLatency(back));
    }
}
