package dev.glimpse.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every matcher of the JSONL format, with the answers users give in practice. */
class ExpectationTest {

    private static Score score(Expectation e, String answer) {
        return e.score(answer, Expectation.Grader.NONE);
    }

    @Test
    void anyOfAcceptsEachSpelling() {
        Expectation e = new Expectation.AnyOf(List.of("Sichuan", "Szechuan", "川菜"));
        assertTrue(score(e, "Szechuan.").correct());
        assertTrue(score(e, "川菜").correct());
        Score wrong = score(e, "Cantonese");
        assertFalse(wrong.correct());
        assertEquals("equals none of the 3 accepted answers", wrong.why());
    }

    @Test
    void containsAllIsCaseWidthAndScriptInsensitiveAndGivesPartialCredit() {
        Expectation e = new Expectation.ContainsAll(List.of("Kung Pao", "宫保鸡丁", "rice"), 1);
        assertTrue(score(e, "Try the KUNG PAO chicken (宫保鸡丁) with steamed rice.").correct());
        assertTrue(score(e, "ｋｕｎｇ ｐａｏ，宫保鸡丁，rice").correct(), "full-width");
        Score partial = score(e, "Kung pao and noodles, 宫保鸡丁");
        assertFalse(partial.correct());
        assertEquals(2 / 3.0, partial.value(), 1e-12);
        assertEquals("missing: rice", partial.why());
        assertTrue(new Expectation.ContainsAll(List.of("Kung Pao", "宫保鸡丁", "rice"), 0.6)
                .score("Kung pao and noodles, 宫保鸡丁", Expectation.Grader.NONE).correct(), "threshold 0.6");
    }

    @Test
    void keywordsAreWordsWithPluralsButChineseIsFoundAnywhere() {
        Expectation cat = new Expectation.ContainsAny(List.of("cat"));
        assertFalse(score(cat, "a category of things").correct());
        assertFalse(score(cat, "a bobcat").correct());
        assertTrue(score(cat, "two cats").correct());
        assertTrue(score(cat, "Cat!").correct());
        assertTrue(score(new Expectation.ContainsAny(List.of("box")), "three boxes").correct());
        assertTrue(score(new Expectation.ContainsAny(List.of("火锅")), "这是一家四川火锅店").correct());
        assertEquals("contains none of: cat, dog", score(new Expectation.ContainsAny(List.of("cat", "dog")),
                "a bird").why());
    }

    @Test
    void regexIsFoundCaseInsensitively() {
        Expectation e = Expectation.Regex.of("\\b(3|three) chairs?\\b");
        assertTrue(score(e, "I count THREE chairs.").correct());
        assertFalse(score(e, "two chairs").correct());
        assertEquals("no match for /\\b(3|three) chairs?\\b/", score(e, "two chairs").why());
    }

    @Test
    void numberIsReadInDigitsWordsAndChineseWithinTheTolerance() {
        Expectation three = new Expectation.Number(3, 0);
        assertTrue(score(three, "There are 3 chairs.").correct());
        assertTrue(score(three, "three").correct());
        assertTrue(score(three, "３").correct(), "full-width digit");
        assertTrue(score(three, "有三把椅子").correct());
        assertTrue(score(three, "3.0").correct());
        assertFalse(score(three, "4 chairs").correct());
        assertEquals("found 4, expected 3", score(three, "4 chairs").why());
        assertEquals("no number in the answer", score(three, "several").why());
        Expectation price = new Expectation.Number(12.5, 0.5);
        assertTrue(score(price, "It costs $12.90").correct());
        assertFalse(score(price, "It costs $13.50").correct());
        assertTrue(score(new Expectation.Number(1200, 0), "1,200 people").correct());
        assertTrue(score(new Expectation.Number(25, 0), "二十五个").correct());
        assertTrue(score(new Expectation.Number(-2, 0), "-2 °C").correct());
        assertEquals("3 ± 0.5", new Expectation.Number(3, 0.5).describe());
    }

    @Test
    void listScoresRecallAndPrecision() {
        Expectation e = new Expectation.ItemList(List.of("chair", "desk", "monitor"), 0.8);
        Score all = score(e, "A chair, a desk and a monitor.");
        assertTrue(all.correct());
        assertEquals(1, all.value(), 1e-12);
        Score twoOfThree = score(e, "chairs and a desk");
        assertEquals(0.8, twoOfThree.value(), 1e-12, "recall 2/3, precision 1: F1 0.8");
        assertTrue(twoOfThree.correct());
        assertEquals("recall 0.67, precision 1.00; missing: monitor", twoOfThree.why());
        Score extra = score(e, "- chair\n- desk\n- monitor\n- lamp\n- plant\n- window");
        assertEquals(2 * 0.5 / 1.5, extra.value(), 1e-12, "recall 1, precision 3/6");
        assertFalse(extra.correct());
        assertEquals("recall 1.00, precision 0.50; extra: lamp, plant, window", extra.why());
        assertEquals(0, score(e, "").value());
        assertEquals(1, score(e, "1. Chairs\n2. A desk\n3) the monitor").value(), 1e-12, "a numbered list");
        assertEquals(List.of("chair", "desk", "monitor", "lamp"),
                AnswerText.items("• chair;\n• desk & monitor, and a lamp."));
        assertTrue(score(new Expectation.ItemList(List.of("椅子", "桌子"), 0.8), "椅子、桌子").correct());
    }

    @Test
    void judgeGradesOneToFiveAndFourCounts() {
        Expectation e = new Expectation.Judged("a literary caption", EvalDataset.JUDGE_THRESHOLD);
        Score four = e.score("caption", (rubric, answer) -> 4);
        assertTrue(four.correct());
        assertEquals(0.75, four.value(), 1e-12);
        assertEquals("judge grade 4 of 5", four.why());
        assertFalse(e.score("caption", (rubric, answer) -> 3).correct());
        assertEquals(0, e.score("caption", (rubric, answer) -> 1).value());
        assertThrows(IllegalStateException.class, () -> e.score("caption", (rubric, answer) -> 7));
        assertTrue(e.judged());
    }

    @Test
    void severalMatchersMustAllHoldAndScoreTheLowest() {
        Expectation e = new Expectation.AllOf(List.of(new Expectation.Number(2, 0),
                new Expectation.ContainsAny(List.of("cups"))));
        assertTrue(score(e, "2 cups").correct());
        Score s = score(e, "2 plates");
        assertFalse(s.correct());
        assertEquals(0, s.value());
        assertEquals("contains_any: contains none of: cups", s.why());
        assertEquals("number+contains_any", e.matcher());
    }

    @Test
    void judgeRepliesAreParsed() {
        assertEquals(4, ModelJudge.parse("4"));
        assertEquals(5, ModelJudge.parse("Grade: 5/5"), "the first 1-5 digit standing alone");
        assertEquals(-1, ModelJudge.parse("excellent"));
        assertEquals(-1, ModelJudge.parse("10"));
        assertEquals(-1, ModelJudge.parse("answer 3fa9c1"), "not a digit inside a word");
    }
}
