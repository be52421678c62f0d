package dev.glimpse.kernel.magic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MagicArgumentsTest {
    @Test
    void splitsOnWhitespaceAndGroupsQuotes() {
        assertEquals(List.of("lib/*.jar", "my dir/x.jar", "it's", "C:\\jars\\a.jar"),
                MagicArguments.split("  lib/*.jar \"my dir/x.jar\"  'it'\"'\"'s' C:\\jars\\a.jar "));
    }

    @Test
    void doubleQuotesUnderstandEscapedQuotes() {
        assertEquals(List.of("say \"hi\"", ""), MagicArguments.split("\"say \\\"hi\\\"\" ''"));
    }

    @Test
    void unclosedQuoteIsAnError() {
        MagicException e = assertThrows(MagicException.class, () -> MagicArguments.split("\"open"));
        assertEquals("Unclosed \" quote in: \"open", e.getMessage());
    }
}
