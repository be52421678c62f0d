package dev.glimpse.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerMatcherTest {

    private static boolean matches(String expected, String answer) {
        return AnswerMatcher.NORMALIZED.matches(expected, answer);
    }

    @Test
    void caseSurroundingPunctuationWidthArticlesAndListSeparatorsAreIgnored() {
        assertTrue(matches("red", "Red."));
        assertTrue(matches("3", " 3 "));
        assertTrue(matches("Red.", "RED"));
        assertTrue(matches("blue", "\n\tblue .\n"));
        assertTrue(matches("U.S.", "u.s"));
        assertTrue(matches("red", "red!"));
        assertTrue(matches("red", "\"Red\""));
        assertTrue(matches("red", "ＲＥＤ"), "full-width letters");
        assertTrue(matches("红色", "红色。"), "Chinese full stop");
        assertTrue(matches("dark red", "dark  red"));
        assertTrue(matches("circle", "A circle."));
        assertTrue(matches("the red one", "red one"));
        assertTrue(matches("a, b and c", "a, b, c"));
        assertTrue(matches("a, b and c and d", "a, b, c and d"), "the 118 glimpse-tiny descriptions of issue 16");
        assertTrue(matches("a, b, and c", "a; b & c"));
        assertTrue(matches("椅子、桌子", "椅子, 桌子"));
    }

    @Test
    void contentMustStillBeEqual() {
        assertFalse(matches("3", "3 apples"));
        assertFalse(matches("red", "dark red"));
        assertFalse(matches("red", ""));
        assertFalse(matches("3", "three"), "number words: use the number matcher");
        assertFalse(matches("a, b, c", "a, c, b"), "order counts: use the list matcher");
        assertFalse(matches("-3", "3"), "a leading minus belongs to the number");
    }

    @Test
    void normalizedFormIsDocumented() {
        assertEquals("red", AnswerMatcher.normalize("  Red . "));
        assertEquals("etc", AnswerMatcher.normalize("etc.."));
        assertEquals("", AnswerMatcher.normalize(" . "));
        assertEquals("istanbul", AnswerMatcher.normalize("ISTANBUL"), "Locale.ROOT, not a Turkish dotless i");
        assertEquals("cat, dog, bird", AnswerMatcher.normalize("A cat, the dog and a bird."));
        assertEquals("abc123, x", AnswerMatcher.normalize("ＡＢＣ１２３，ｘ"));
    }
}
