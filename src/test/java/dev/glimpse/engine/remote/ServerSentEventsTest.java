package dev.glimpse.engine.remote;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerSentEventsTest {

    private static List<String> events(String... lines) {
        ServerSentEvents sse = new ServerSentEvents();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String data = sse.line(line);
            if (data != null) {
                out.add(data);
            }
        }
        String rest = sse.finish();
        if (rest != null) {
            out.add(rest);
        }
        return out;
    }

    @Test
    void oneDataLinePerEvent() {
        assertEquals(List.of("{\"a\":1}", "[DONE]"), events("data: {\"a\":1}", "", "data: [DONE]", ""));
    }

    @Test
    void commentsAndOtherFieldsAreSkipped() {
        assertEquals(List.of("x"), events(": keep-alive", "", "event: message", "id: 7", "retry: 100", "data: x",
                ""));
    }

    @Test
    void dataLinesOfOneEventAreJoinedAndTheSpaceAfterTheColonIsOptional() {
        assertEquals(List.of("a\nb"), events("data:a", "data: b", ""));
    }

    @Test
    void aLastEventWithoutItsBlankLineIsKept() {
        assertEquals(List.of("[DONE]"), events("data: [DONE]"));
    }
}
