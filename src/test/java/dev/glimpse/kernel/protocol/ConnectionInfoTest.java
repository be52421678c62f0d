package dev.glimpse.kernel.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionInfoTest {
    @TempDir
    Path dir;

    @Test
    void readsAJupyterConnectionFile() throws IOException {
        Path file = dir.resolve("kernel-1.json");
        Files.writeString(file, """
                {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
                 "hb_port": 5005, "ip": "127.0.0.1", "key": "abc", "transport": "tcp",
                 "signature_scheme": "hmac-sha256", "kernel_name": "glimpse"}""");
        ConnectionInfo info = ConnectionInfo.read(file);
        assertEquals("tcp://127.0.0.1:5001", info.endpoint(info.shellPort()));
        assertEquals(5004, info.controlPort());
        assertEquals("abc", info.key());
    }

    @Test
    void ipcEndpointsFollowJupyterClient() throws IOException {
        Path file = dir.resolve("k.json");
        Files.writeString(file, """
                {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                 "ip": "/tmp/kernel-x", "key": "", "transport": "ipc"}""");
        ConnectionInfo info = ConnectionInfo.read(file);
        assertEquals("ipc:///tmp/kernel-x-1", info.endpoint(info.shellPort()));
    }

    @Test
    void aMissingPortIsNamed() throws IOException {
        Path file = dir.resolve("k.json");
        Files.writeString(file, "{\"shell_port\": 1}");
        IOException e = assertThrows(IOException.class, () -> ConnectionInfo.read(file));
        assertTrue(e.getMessage().contains("control_port") || e.getMessage().contains("iopub_port"),
                e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()));
    }

    @Test
    void notJsonIsNamed() throws IOException {
        Path file = dir.resolve("k.json");
        Files.writeString(file, "shell_port=1");
        IOException e = assertThrows(IOException.class, () -> ConnectionInfo.read(file));
        assertTrue(e.getMessage().contains(file.toString()));
    }
}
