package dev.glimpse.pipeline;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * askAll's core against an OpenAI-compatible endpoint that answers in parallel ({@link StandInEndpoint}, standing
 * in for vLLM): requests in flight, order, retries, error rows, and a resume key that never hands back stale
 * answers.
 */
class BatchAgainstEndpointTest {

    private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40));

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private List<BatchItem> items;
    private Path csv;

    @BeforeEach
    void images() throws IOException {
        items = PipelineFixtures.distinctImages(dir.resolve("photos"), 12).stream()
                .map(p -> new BatchItem(p.getFileName().toString(), p)).toList();
        csv = dir.resolve("answers.csv");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private StandInEndpoint endpoint(StandInEndpoint e) {
        open.add(e);
        return e;
    }

    private BatchRunner runner(StandInEndpoint endpoint) {
        OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(endpoint.url(), null, null);
        open.add(model);
        return new BatchRunner(model).withOptions(GenerationOptions.DEFAULT.withMaxNewTokens(5).withThinking(false))
                .withRetries(QUICK_RETRIES);
    }

    private BatchRun run(BatchRunner runner) {
        return runner.run(items, "Describe it.", csv, BatchProgress.NONE, CancellationToken.NEVER);
    }

    private static List<String> answers(BatchRun run) {
        return run.results().stream().map(BatchResult::answer).toList();
    }

    @Test
    void concurrencyKeepsNRequestsInFlightAndWritesRowsInInputOrder() throws IOException {
        StandInEndpoint one = endpoint(StandInEndpoint.start(50));
        BatchRun sequential = run(runner(one));
        assertEquals(1, one.mostInFlight());

        StandInEndpoint parallel = endpoint(StandInEndpoint.start(50));
        Path other = dir.resolve("parallel.csv");
        List<Integer> progress = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        BatchRun run = runner(parallel).withConcurrency(4).run(items, "Describe it.", other,
                (result, done, total) -> {
                    progress.add(done);
                    threads.add(Thread.currentThread().getName());
                }, CancellationToken.NEVER);
        assertEquals(4, parallel.mostInFlight());
        assertEquals(items.size(), parallel.requests());
        assertEquals(items.stream().map(BatchItem::file).toList(),
                run.results().stream().map(BatchResult::file).toList());
        assertEquals(answers(sequential), answers(run), "each row holds its own image's answer");
        assertEquals(java.util.stream.IntStream.rangeClosed(1, items.size()).boxed().toList(), progress);
        assertTrue(threads.stream().allMatch(t -> t.equals(Thread.currentThread().getName())),
                "progress is told on the calling thread: " + threads);
        List<List<String>> records = CsvRecords.parse(Files.readString(other)).records();
        assertEquals(items.stream().map(BatchItem::file).toList(),
                records.subList(1, records.size()).stream().map(r -> r.get(0)).toList(), "the file in input order");
    }

    @Test
    void rateLimitsAndOverloadsAreRetriedWithBackoff() throws IOException {
        StandInEndpoint limited = endpoint(StandInEndpoint.failingFirst(2, 429, 0));
        BatchRun run = run(runner(limited));
        assertTrue(run.results().stream().noneMatch(BatchResult::failed), run.results().toString());
        assertEquals(items.size() + 2, limited.requests());

        StandInEndpoint overloaded = endpoint(StandInEndpoint.failingFirst(3, 503, 0));
        BatchRun again = runner(overloaded).withConcurrency(3).run(items, "Describe it.", dir.resolve("b.csv"),
                BatchProgress.NONE, CancellationToken.NEVER);
        assertTrue(again.results().stream().noneMatch(BatchResult::failed), again.results().toString());
        assertEquals(items.size() + 3, overloaded.requests());
    }

    @Test
    void aModelFailureIsAnErrorRowTheRunGoesOnAndTheNextRunAsksItAgain() throws IOException {
        StandInEndpoint refusing = endpoint(StandInEndpoint.failingFirst(1, 400, 0));
        BatchRunner runner = runner(refusing);
        BatchRun first = run(runner);
        assertEquals(items.size(), first.results().size(), "nothing after the failure is lost");
        BatchResult failed = first.results().get(0);
        assertTrue(failed.failed());
        assertTrue(failed.error().startsWith("the model failed: the endpoint refused the request (HTTP 400"),
                failed.error());
        assertEquals(items.size(), refusing.requests(), "a 400 is not retried");
        assertTrue(first.results().subList(1, items.size()).stream().noneMatch(BatchResult::failed));

        BatchRun second = run(runner);
        assertEquals(items.size() - 1, second.reused(), "only the error row is asked again");
        assertFalse(second.results().get(0).failed());
        assertEquals(items.size() + 1, refusing.requests());
    }

    @Test
    void otherOptionsSystemPromptImageContentOrModelAreAskedAgainTheSameAreNot() throws IOException {
        StandInEndpoint endpoint = endpoint(StandInEndpoint.start(0));
        BatchRunner five = runner(endpoint);
        BatchRun first = run(five);
        assertEquals(items.size(), endpoint.requests());
        assertEquals(items.size(), run(five).reused(), "the same run again asks nothing");

        BatchRunner forty = five.withOptions(GenerationOptions.DEFAULT.withMaxNewTokens(40).withThinking(false));
        BatchRun longer = run(forty);
        assertEquals(0, longer.reused(), "maxTokens 5 then 40: asked again, not the old answers");
        assertNotEquals(answers(first), answers(longer));
        assertEquals(0, run(forty.withSystemPrompt("Answer in French.")).reused(), "a system prompt");
        assertEquals(0, run(five.withOptions(GenerationOptions.DEFAULT.withMaxNewTokens(5).withThinking(false)
                .withTemperature(0.7).withSeed(1L))).reused(), "a temperature and seed");
        assertEquals(items.size(), run(five).reused(), "back to the first options: their answers are still there");

        Files.copy(items.get(1).path(), items.get(0).path(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BatchRun changed = run(five);
        assertEquals(items.size() - 1, changed.reused(), "an image replaced under the same name is asked again");

        StandInEndpoint elsewhere = endpoint(StandInEndpoint.start(0));
        assertEquals(0, run(runner(elsewhere)).reused(), "another endpoint is another model");
    }

    @Test
    void aCompleteLastRecordWithoutItsLineEndIsKept() throws IOException {
        StandInEndpoint endpoint = endpoint(StandInEndpoint.start(0));
        BatchRunner runner = runner(endpoint);
        run(runner);
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        // a program that saves CSV without a final line end (issue 17, item 13)
        Files.writeString(csv, text.substring(0, text.length() - 1), StandardCharsets.UTF_8);
        BatchRun again = run(runner);
        assertEquals(items.size(), again.reused(), "the last image is not asked again");
        assertEquals(items.size(), endpoint.requests());
        assertEquals(text, Files.readString(csv, StandardCharsets.UTF_8), "the line end is restored, nothing cut");
        run(runner.withSystemPrompt("Be brief."));
        assertEquals(1 + 2 * items.size(), CsvRecords.parse(Files.readString(csv)).records().size(),
                "later rows start on lines of their own");
    }

    @Test
    void aResultsFileFromBeforeTheKeyColumnsIsUpgradedAndAskedAgain() throws IOException {
        Files.writeString(csv, String.join(",", ResultsCsv.OLD_COLUMNS) + "\n"
                + items.get(0).file() + ",Describe it.,an old answer,12.5,10,3,stand-in-vlm,\n");
        StandInEndpoint endpoint = endpoint(StandInEndpoint.start(0));
        BatchRun run = run(runner(endpoint));
        assertEquals(0, run.reused(), "an old row says nothing of options or weights: asked again");
        List<List<String>> records = CsvRecords.parse(Files.readString(csv)).records();
        assertEquals(ResultsCsv.COLUMNS, records.get(0));
        assertEquals("an old answer", records.get(1).get(2), "the old row is kept");
        assertEquals(2 + items.size(), records.size());
    }

    @Test
    void cancellingWithRequestsInFlightKeepsAnInputOrderPrefixAndResumesExactly() throws IOException {
        StandInEndpoint endpoint = endpoint(StandInEndpoint.start(30));
        BatchRunner runner = runner(endpoint).withConcurrency(4);
        AtomicBoolean stop = new AtomicBoolean();
        BatchRun first = runner.run(items, "Describe it.", csv, (r, done, total) -> {
            if (done == 5) {
                stop.set(true);
            }
        }, stop::get);
        assertTrue(first.cancelled());
        assertTrue(first.results().size() >= 5 && first.results().size() < items.size(), first.results().toString());
        assertEquals(items.subList(0, first.results().size()).stream().map(BatchItem::file).toList(),
                first.results().stream().map(BatchResult::file).toList(), "a prefix, in order");
        BatchRun second = run(runner);
        assertFalse(second.cancelled());
        assertEquals(first.results().size(), second.reused());
        assertEquals(items.size(), second.results().size());
    }
}
