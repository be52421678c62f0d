package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Cells that fill the heap, in a child JVM with a 256 MiB heap so the test is quick and leaves this JVM alone: the
 * error is reported, and the evaluator works on, also after memory held by a cell variable is set free.
 */
class OutOfMemoryTest {

    @Test
    void fillingTheHeapIsReportedAndTheEvaluatorGoesOn() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                OutOfMemoryProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the probe JVM hangs:\n" + output);

        Map<String, String> steps = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                steps.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        assertEquals(0, child.exitValue(), output);
        for (String filled : List.of("local", "kept")) {
            assertTrue(steps.getOrDefault(filled, "").startsWith("java.lang.OutOfMemoryError"), output);
        }
        assertEquals("value 2", steps.get("after-local"), output);
        assertEquals("value null", steps.get("free"), output);
        assertEquals("value 4", steps.get("after-kept"), output);
        assertEquals("normal", steps.get("exit"), output);
    }
}
