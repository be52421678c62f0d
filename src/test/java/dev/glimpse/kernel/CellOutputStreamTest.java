package dev.glimpse.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellOutputStreamTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final CellOutputStream stream = new CellOutputStream("stdout", (name, text) -> sent.add(text), timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void manyLinesBecomeFewMessages() {
        for (int i = 0; i < 1000; i++) {
            stream.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8), 0, ("line " + i + "\n").length());
        }
        stream.send();
        String all = String.join("", sent);
        assertEquals(1000, all.lines().count());
        assertTrue(sent.size() < 50, "expected batching, got " + sent.size() + " messages");
    }

    @Test
    void aCharacterSplitAcrossWritesStaysWhole() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes
        stream.write(euro, 0, 1);
        stream.send();
        stream.write(euro, 1, 2);
        stream.send();
        assertEquals("€", String.join("", sent));
        assertTrue(sent.stream().noneMatch(s -> s.contains("\uFFFD")));
    }

    @Test
    void textIsSentWithoutAnExplicitFlush() throws InterruptedException {
        stream.write("tick\n".getBytes(StandardCharsets.UTF_8), 0, 5);
        for (int i = 0; i < 200 && sent.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of("tick\n"), sent);
    }
}
