package dev.glimpse.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelConfigTest {
    @Test
    void glimpseNamesWinOverIJavaAndJJavaNames() {
        KernelConfig config = KernelConfig.from(Map.of(
                "GLIMPSE_CLASSPATH", "a.jar:b/*.jar",
                "IJAVA_CLASSPATH", "ignored.jar",
                "JJAVA_TIMEOUT", "5000",
                "IJAVA_STARTUP_SCRIPTS_PATH", "one.jsh:two.jsh",
                "GLIMPSE_LOAD_EXTENSIONS", "false",
                "GLIMPSE_HISTORY", "/tmp/h.jsonl"));
        assertEquals(List.of("a.jar", "b/*.jar"), config.classpath());
        assertEquals(5000, config.timeoutMillis());
        assertEquals(List.of(Path.of("one.jsh"), Path.of("two.jsh")), config.startupScriptPaths());
        assertFalse(config.loadExtensions());
        assertEquals(Path.of("/tmp/h.jsonl"), config.historyFile());
    }

    @Test
    void defaults() {
        KernelConfig config = KernelConfig.from(Map.of());
        assertTrue(config.classpath().isEmpty());
        assertEquals(-1, config.timeoutMillis());
        assertTrue(config.loadExtensions());
    }

    @Test
    void aBadTimeoutIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.from(Map.of("GLIMPSE_TIMEOUT", "soon")));
        assertTrue(e.getMessage().contains("GLIMPSE_TIMEOUT"));
    }
}
