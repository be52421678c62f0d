package dev.glimpse.engine.remote;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.Box;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Usage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pieces to an answer: reasoning in its own field or inline in think tags, boxes, counts, finish reasons. */
class StreamedAnswerTest {

    private final List<TokenListener.Token> tokens = new ArrayList<>();
    private final StreamedAnswer answer = new StreamedAnswer(tokens::add, System.nanoTime(), 0.5);

    private void content(String s) {
        answer.accept(new ChatDelta(s, null, null, null));
    }

    private void reasoning(String s) {
        answer.accept(new ChatDelta(null, s, null, null));
    }

    private List<String> flagged() {
        return tokens.stream().map(t -> (t.reasoning() ? "R:" : "A:") + t.text()).toList();
    }

    @Test
    void aReasoningParsersFields() {
        reasoning("The dog ");
        reasoning("is left.\n");
        content("\nThere: <|begin_of_box|>[10,20,30,40]<|end_of_box|>");
        answer.accept(new ChatDelta(null, null, "stop", new Usage(100, 12)));
        Answer a = answer.answer(false);
        assertEquals("The dog is left.", a.reasoning());
        assertEquals("There: <|begin_of_box|>[10,20,30,40]<|end_of_box|>", a.text());
        assertEquals(List.of(new Box(10, 20, 30, 40)), a.boxes());
        assertEquals(new Usage(100, 12), a.usage());
        assertEquals(FinishReason.STOP, a.finishReason());
        assertEquals(List.of("R:The dog ", "R:is left.\n", "A:\nThere: <|begin_of_box|>[10,20,30,40]<|end_of_box|>"),
                flagged());
        assertEquals(2, a.timings().decodeMillis().size());
        assertEquals(0.5, a.timings().preprocessMillis());
    }

    @Test
    void inlineThinkTagsOfAServerWithoutAReasoningParser() {
        content("<think>");
        content("Hmm");
        content(", red.</think>\n");
        content("Red.");
        answer.accept(new ChatDelta(null, null, "length", null));
        Answer a = answer.answer(false);
        assertEquals("Hmm, red.", a.reasoning());
        assertEquals("Red.", a.text());
        assertEquals(FinishReason.LENGTH, a.finishReason());
        assertEquals(List.of("R:Hmm", "R:, red.", "A:\n", "A:Red."), flagged());
        // no usage from the server: the pieces stand in for tokens
        assertEquals(new Usage(0, 4), a.usage());
    }

    @Test
    void textBeforeTheReasoningIsKeptAsTheLocalEngineKeepsIt() {
        content("Well ");
        reasoning("thinking");
        Answer a = answer.answer(false);
        assertEquals("thinking", a.reasoning());
        assertEquals("Well", a.text());
    }

    @Test
    void aCancelledAnswerIsPartial() {
        content("Half an ans");
        Answer a = answer.answer(true);
        assertEquals(FinishReason.CANCELLED, a.finishReason());
        assertEquals("Half an ans", a.text());
        assertEquals(List.of(), a.tokenIds());
    }

    @Test
    void finishReasonsOfTheServers() {
        assertEquals(FinishReason.LENGTH, StreamedAnswer.finishReason("length"));
        assertEquals(FinishReason.STOP, StreamedAnswer.finishReason("stop"));
        assertEquals(FinishReason.STOP, StreamedAnswer.finishReason("sensitive"));
        assertEquals(FinishReason.CANCELLED, StreamedAnswer.finishReason("abort"));
    }
}
