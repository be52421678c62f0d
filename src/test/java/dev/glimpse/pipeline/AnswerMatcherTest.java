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
    void caseSurroundingWhitespaceAndOneTrailingPeriodAreIgnored() {
        assertTrue(matches("red", "Red."));
        assertTrue(matches("3", " 3 "));
        assertTrue(matches("Red.", "RED"));
        assertTrue(matches("blue", "\n\tblue .\n"));
        assertTrue(matches("U.S.", "u.s"));
        assertTrue(matches("circle", "circle"));
    }

    @Test
    void everythingElseMustBeEqual() {
        assertFalse(matches("3", "3 apples"));
        assertFalse(matches("dark red", "dark  red"));
        assertFalse(matches("red", "red!"));
        assertFalse(matches("red", "the red"));
        assertFalse(matches("etc", "etc.."), "only one period is dropped");
        assertFalse(matches("red", ".red"));
        assertFalse(matches("red", ""));
        assertFalse(matches("3", "three"));
    }

    @Test
    void normalizedFormIsDocumented() {
        assertEquals("red", AnswerMatcher.normalize("  Red . "));
        assertEquals("etc.", AnswerMatcher.normalize("etc.."));
        assertEquals("", AnswerMatcher.normalize(" . "));
        assertEquals("istanbul", AnswerMatcher.normalize("ISTANBUL"), "Locale.ROOT, not a Turkish dotless i");
    }
}
