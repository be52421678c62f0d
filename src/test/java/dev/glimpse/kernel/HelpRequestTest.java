package dev.glimpse.kernel;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HelpRequestTest {
    @Test
    void recognisesIPythonHelpSyntax() {
        assertEquals(Optional.of("String"), HelpRequest.topic("?String"));
        assertEquals(Optional.of("String"), HelpRequest.topic("String?"));
        assertEquals(Optional.of("Math.max"), HelpRequest.topic("  ? Math.max  "));
    }

    @Test
    void leavesJavaAlone() {
        assertEquals(Optional.empty(), HelpRequest.topic("a ? b : c"));
        assertEquals(Optional.empty(), HelpRequest.topic("List<?> x = null;"));
        assertEquals(Optional.empty(), HelpRequest.topic("1+1"));
    }
}
