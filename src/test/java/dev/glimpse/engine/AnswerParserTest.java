package dev.glimpse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerParserTest {

    @Test
    void splitsReasoningFromAnswer() {
        AnswerParser.Parsed p = AnswerParser.parse("<think>\nThe image shows a cat.\n</think>\nA cat.");
        assertEquals("The image shows a cat.", p.reasoning());
        assertEquals("A cat.", p.text());
        assertEquals(List.of(), p.boxes());
    }

    @Test
    void answerWithoutReasoning() {
        AnswerParser.Parsed p = AnswerParser.parse("  Just the answer.\n");
        assertEquals("", p.reasoning());
        assertEquals("Just the answer.", p.text());
    }

    @Test
    void emptyThinkBlockOfNothinkMode() {
        assertEquals(new AnswerParser.Parsed("", "Yes.", List.of()), AnswerParser.parse("<think></think>\nYes."));
    }

    @Test
    void reasoningCutOffByTheLengthLimit() {
        AnswerParser.Parsed p = AnswerParser.parse("<think>Let me count the dots: one, two,");
        assertEquals("Let me count the dots: one, two,", p.reasoning());
        assertEquals("", p.text());
    }

    @Test
    void readsABoxAndKeepsItInTheText() {
        String text = "The dog is at <|begin_of_box|>[120,45,610,990]<|end_of_box|>.";
        AnswerParser.Parsed p = AnswerParser.parse("<think>Find the dog.</think>" + text);
        assertEquals(text, p.text());
        assertEquals(List.of(new Box(120, 45, 610, 990)), p.boxes());
    }

    @Test
    void readsNestedBoxesSpacesAndDecimals() {
        String text = "Two cups: <|begin_of_box|>[[10, 20, 30, 40], [500.5,600,700,800]]<|end_of_box|> and "
                + "<|begin_of_box|>[ 1,2,3,4 ]<|end_of_box|>";
        assertEquals(List.of(new Box(10, 20, 30, 40), new Box(500.5, 600, 700, 800), new Box(1, 2, 3, 4)),
                AnswerParser.parse(text).boxes());
    }

    @Test
    void malformedBoxesAreSkipped() {
        String text = "<|begin_of_box|>[1,2,3]<|end_of_box|> <|begin_of_box|>the sofa<|end_of_box|> "
                + "<|begin_of_box|>[1,2,x,4]<|end_of_box|> <|begin_of_box|>[5,6,7,8]<|end_of_box|> "
                + "<|begin_of_box|>[9,9,9,9]";
        assertEquals(List.of(new Box(5, 6, 7, 8)), AnswerParser.boxes(text));
    }

    @Test
    void boxesInTheReasoningAreNotAnswerBoxes() {
        AnswerParser.Parsed p = AnswerParser.parse("<think>Maybe <|begin_of_box|>[1,1,2,2]<|end_of_box|>?</think>"
                + "Here: <|begin_of_box|>[3,3,4,4]<|end_of_box|>");
        assertEquals(List.of(new Box(3, 3, 4, 4)), p.boxes());
    }

    @Test
    void stripTrimsWhatPythonCountsAsWhiteSpace() {
        assertEquals("a b", AnswerParser.strip("\u0085\u3000\t a b\u2028\n\u00a0"));
        assertEquals("", AnswerParser.strip(" \n "));
    }
}
