package dev.glimpse.serve;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import dev.glimpse.engine.remote.RemoteModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The remote client against {@code glimpse serve} on the tiny-a checkpoint: greedy answers over HTTP, streamed or
 * not, are the answers of the model called directly — same pieces of text, same reasoning split, same counts.
 */
class RemoteRoundTripTest {

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();

    /** A question and how to answer it; the cases were picked for what the random model does with them. */
    record Case(String name, Prompt prompt, GenerationOptions options) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        GenerationOptions greedy = GenerationOptions.DEFAULT;
        return Stream.of(
                // answer text, then <think> and reasoning until the length limit
                new Case("reasoning split, length", Prompt.of("seven", ServeFixtures.image("shapes_rgb.png")),
                        greedy.withMaxNewTokens(30)),
                // ends on a stop token after 20 tokens
                new Case("stop token", Prompt.of("w", ServeFixtures.image("shapes_rgb.png")),
                        greedy.withMaxNewTokens(30)),
                new Case("thinking off, no image", Prompt.of("Hello!"), greedy.withMaxNewTokens(12)
                        .withThinking(false)));
    }

    /** The non-empty pieces a listener saw, with their reasoning flags. */
    record Piece(String text, boolean reasoning) {
    }

    private static List<Piece> pieces(List<TokenListener.Token> tokens) {
        return tokens.stream().filter(t -> !t.text().isEmpty()).map(t -> new Piece(t.text(), t.reasoning()))
                .toList();
    }

    // the pieces the server streams for these tokens: TrimmedDeltas per channel, then what the answer adds
    private static List<Piece> trimmed(List<TokenListener.Token> tokens, Answer answer) {
        TrimmedDeltas content = new TrimmedDeltas();
        TrimmedDeltas reasoning = new TrimmedDeltas();
        List<Piece> out = new ArrayList<>();
        for (TokenListener.Token t : tokens) {
            String text = (t.reasoning() ? reasoning : content).push(t.text());
            if (!text.isEmpty()) {
                out.add(new Piece(text, t.reasoning()));
            }
        }
        String r = reasoning.rest(answer.reasoning());
        if (!r.isEmpty()) {
            out.add(new Piece(r, true));
        }
        String c = content.rest(answer.text());
        if (!c.isEmpty()) {
            out.add(new Piece(c, false));
        }
        return out;
    }

    private static String joined(List<TokenListener.Token> tokens, boolean reasoning) {
        return String.join("", tokens.stream().filter(t -> t.reasoning() == reasoning).map(TokenListener.Token::text)
                .toList());
    }

    private static OpenAiCompatibleModel client(OpenAiCompatibleModel.Options options) {
        return SERVED.client(options);
    }

    private static void assertSameAnswer(Answer local, Answer remote) {
        assertEquals(local.text(), remote.text());
        assertEquals(local.reasoning(), remote.reasoning());
        assertEquals(local.boxes(), remote.boxes());
        assertEquals(local.usage(), remote.usage());
        assertEquals(local.finishReason(), remote.finishReason());
        assertEquals(List.of(), remote.tokenIds(), "the API has no token ids");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamedAnswersAreTheLocalAnswers(Case c) {
        List<TokenListener.Token> localTokens = new ArrayList<>();
        Answer local = SERVED.model().generate(c.prompt(), c.options(), localTokens::add, CancellationToken.NEVER);
        List<TokenListener.Token> remoteTokens = new ArrayList<>();
        Answer remote;
        try (OpenAiCompatibleModel client = client(OpenAiCompatibleModel.Options.DEFAULT)) {
            remote = client.generate(c.prompt(), c.options(), remoteTokens::add, CancellationToken.NEVER);
        }
        // the local tokens' pieces, with the white space that the answer and reasoning are stripped of left out
        assertEquals(trimmed(localTokens, local), pieces(remoteTokens));
        // which adds up to exactly the non-streamed answer (issue 17, item 8)
        assertEquals(local.text(), joined(remoteTokens, false));
        assertEquals(local.reasoning(), joined(remoteTokens, true));
        assertSameAnswer(local, remote);
        assertTrue(remoteTokens.stream().allMatch(t -> t.id() == -1));
        assertEquals(remoteTokens.size() - 1, remote.timings().decodeMillis().size(), "one gap per later piece");
        assertTrue(remote.timings().prefillMillis() > 0);
        assertTrue(remote.timings().totalMillis() >= remote.timings().prefillMillis());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void nonStreamedAnswersAreTheLocalAnswers(Case c) {
        Answer local = SERVED.model().generate(c.prompt(), c.options());
        List<TokenListener.Token> remoteTokens = new ArrayList<>();
        Answer remote;
        try (OpenAiCompatibleModel client = client(OpenAiCompatibleModel.Options.DEFAULT.withStreaming(false))) {
            remote = client.generate(c.prompt(), c.options(), remoteTokens::add, CancellationToken.NEVER);
        }
        assertSameAnswer(local, remote);
        // the listener gets the reasoning and the answer whole
        assertEquals(local.reasoning(), String.join("", remoteTokens.stream().filter(TokenListener.Token::reasoning)
                .map(TokenListener.Token::text).toList()));
        assertEquals(local.text(), String.join("", remoteTokens.stream().filter(t -> !t.reasoning())
                .map(TokenListener.Token::text).toList()));
    }

    @Test
    void theReasoningCaseReallyHasReasoningAndAnswerText() {
        Case c = cases().findFirst().orElseThrow();
        List<TokenListener.Token> remoteTokens = new ArrayList<>();
        Answer remote;
        try (OpenAiCompatibleModel client = client(OpenAiCompatibleModel.Options.DEFAULT)) {
            remote = client.generate(c.prompt(), c.options(), remoteTokens::add, CancellationToken.NEVER);
        }
        assertFalse(remote.reasoning().isEmpty());
        assertFalse(remote.text().isEmpty());
        assertTrue(remoteTokens.stream().anyMatch(TokenListener.Token::reasoning));
        assertTrue(remoteTokens.stream().anyMatch(t -> !t.reasoning() && !t.text().isEmpty()));
        assertEquals(FinishReason.LENGTH, remote.finishReason());
        assertEquals(30, remote.usage().completionTokens());
    }

    @Test
    void thinkingOffReachesTheServer() {
        GenerationOptions off = GenerationOptions.DEFAULT.withMaxNewTokens(8).withThinking(false);
        GenerationOptions on = off.withThinking(true);
        Prompt prompt = Prompt.of("Hello!");
        try (OpenAiCompatibleModel client = client(OpenAiCompatibleModel.Options.DEFAULT)) {
            Answer remoteOff = client.generate(prompt, off);
            // the prompt with thinking off ends in /nothink and an empty <think></think>: more prompt tokens
            assertEquals(SERVED.model().generate(prompt, off).usage(), remoteOff.usage());
            assertTrue(remoteOff.usage().promptTokens() > client.generate(prompt, on).usage().promptTokens());
            assertEquals(SERVED.model().generate(prompt, off).text(), remoteOff.text());
        }
    }

    @Test
    void sampledAnswersWithASeedAreTheLocalOnes() {
        GenerationOptions sampled = GenerationOptions.DEFAULT.withMaxNewTokens(10).withTemperature(0.9)
                .withTopP(0.8).withTopK(20).withRepetitionPenalty(1.2).withSeed(42L);
        Prompt prompt = Prompt.of("Describe the picture.", ServeFixtures.image("wide_rgb.png"));
        Answer local = SERVED.model().generate(prompt, sampled);
        // the limit falls inside a character: the stream carries the rest as U+FFFD, as the answer has it
        assertTrue(local.text().endsWith("\uFFFD"), local.text());
        try (OpenAiCompatibleModel client = client(OpenAiCompatibleModel.Options.DEFAULT)) {
            assertSameAnswer(local, client.generate(prompt, sampled));
        }
    }

    @Test
    void withoutAModelNameTheServedModelIsUsed() {
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.connect(SERVED.server().baseUrl() + "/", null,
                null)) {
            assertEquals(ServeFixtures.MODEL_NAME, client.model());
            assertEquals(List.of(ServeFixtures.MODEL_NAME), client.models());
            assertEquals(ServeFixtures.MODEL_NAME, client.info().name());
            assertEquals("remote", client.info().device());
            assertEquals(SERVED.server().baseUrl().toString(), client.info().source());
            assertEquals(FinishReason.LENGTH,
                    client.generate(Prompt.of("Hi"), GenerationOptions.DEFAULT.withMaxNewTokens(2)).finishReason());
        }
    }

    @Test
    void anUnknownModelIsA404ThatSaysWhatIsServed() {
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.connect(SERVED.server().baseUrl().toString(),
                "glm-4.6v-flash", null)) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> client.generate(Prompt.of("Hi"), GenerationOptions.DEFAULT.withMaxNewTokens(2)));
            assertEquals(404, e.statusCode());
            assertTrue(e.getMessage().startsWith("model 'glm-4.6v-flash' not found at " + SERVED.server().baseUrl()
                    + " (HTTP 404: The model 'glm-4.6v-flash' does not exist; this server serves 'tiny-a'"),
                    e.getMessage());
        }
    }

    @Test
    void everyAnswerIsLoggedWithItsCounts() throws InterruptedException {
        // a server of its own: the shared one logs a request after its last byte is sent, so an earlier test's
        // record can arrive after this test has started
        try (ServedModel logged = SERVED.alongside(UnaryOperator.identity());
             OpenAiCompatibleModel client = logged.client(OpenAiCompatibleModel.Options.DEFAULT)) {
            BlockingQueue<RequestRecord> log = logged.log();
            Answer a = client.generate(Prompt.of("Hi"), GenerationOptions.DEFAULT.withMaxNewTokens(3));
            RequestRecord r = log.take();
            assertEquals(200, r.status());
            assertTrue(r.stream());
            assertEquals(a.usage(), r.usage());
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertTrue(r.id().startsWith("chatcmpl-"));
            assertTrue(log.isEmpty(), () -> "one request, more records: " + log);
        }
    }
}
