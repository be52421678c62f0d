package dev.glimpse.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {

    private static final Map<String, Arguments.Kind> SPEC = Map.of("model", Arguments.Kind.VALUE,
            "image", Arguments.Kind.REPEATED, "json", Arguments.Kind.FLAG, "n", Arguments.Kind.VALUE,
            "t", Arguments.Kind.VALUE);

    private static String error(List<String> args) {
        return assertThrows(UsageException.class, () -> Arguments.parse(args, SPEC)).getMessage();
    }

    @Test
    void readsValuesRepeatsAndFlagsInBothSpellings() {
        Arguments a = Arguments.parse(List.of("--model", "dir", "--image=a.png", "--image", "b.png", "--json"), SPEC);
        assertEquals("dir", a.value("model").orElseThrow());
        assertEquals(List.of("a.png", "b.png"), a.values("image"));
        assertTrue(a.flag("json"));
        assertFalse(a.flag("n"));
        assertEquals(7, a.intValue("n", 7, 1));
        assertNull(a.doubleValue("t", 0));
    }

    @Test
    void numbersAreCheckedWithTheOptionNamed() {
        assertEquals("--n expects a whole number, got 'ten'",
                assertThrows(UsageException.class, () -> Arguments.parse(List.of("--n", "ten"), SPEC)
                        .intValue("n", 1, 1)).getMessage());
        assertEquals("--n must be at least 1, was 0",
                assertThrows(UsageException.class, () -> Arguments.parse(List.of("--n=0"), SPEC)
                        .intValue("n", 1, 1)).getMessage());
        assertEquals("--t must be a number of at least 0.0, was -1",
                assertThrows(UsageException.class, () -> Arguments.parse(List.of("--t", "-1"), SPEC)
                        .doubleValue("t", 0)).getMessage());
        assertEquals("--t expects a number, got 'hot'",
                assertThrows(UsageException.class, () -> Arguments.parse(List.of("--t", "hot"), SPEC)
                        .doubleValue("t", 0)).getMessage());
        assertEquals(0.7, Arguments.parse(List.of("--t", "0.7"), SPEC).doubleValue("t", 0));
    }

    @Test
    void malformedCommandLinesSayWhatIsWrong() {
        assertTrue(error(List.of("--colour", "red")).startsWith("Unknown option --colour; known options: "));
        assertEquals("--model needs a value", error(List.of("--model")));
        assertEquals("--model needs a value", error(List.of("--model", "--json")));
        assertEquals("--model was given more than once", error(List.of("--model", "a", "--model", "b")));
        assertEquals("--json takes no value", error(List.of("--json=yes")));
        assertEquals("Unexpected argument 'hello': options start with --, e.g. --prompt \"hello\"",
                error(List.of("hello")));
        assertEquals("Missing --model, e.g. --model DIR", assertThrows(UsageException.class,
                () -> Arguments.parse(List.of(), SPEC).required("model", "DIR")).getMessage());
    }
}
