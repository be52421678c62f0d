package dev.glimpse.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contents of a Jupyter connection file: where to bind and how to sign.
 *
 * @param transport       {@code tcp} or {@code ipc}
 * @param ip              the address to bind (for ipc, the socket path prefix)
 * @param shellPort       shell ROUTER port
 * @param controlPort     control ROUTER port
 * @param stdinPort       stdin ROUTER port
 * @param iopubPort       IOPub PUB port
 * @param hbPort          heartbeat REP port
 * @param key             HMAC key; empty disables signing
 * @param signatureScheme e.g. {@code hmac-sha256}
 */
public record ConnectionInfo(String transport, String ip, int shellPort, int controlPort, int stdinPort,
                             int iopubPort, int hbPort, String key, String signatureScheme) {

    /** Reads a connection file, failing with a message that names the file and the missing field. */
    public static ConnectionInfo read(Path file) throws IOException {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException("Cannot read the connection file " + file + ": " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IOException("The connection file " + file + " is not a JSON object");
        }
        return new ConnectionInfo(
                text(json, "transport", "tcp"),
                text(json, "ip", "127.0.0.1"),
                port(json, "shell_port", file),
                port(json, "control_port", file),
                port(json, "stdin_port", file),
                port(json, "iopub_port", file),
                port(json, "hb_port", file),
                text(json, "key", ""),
                text(json, "signature_scheme", "hmac-sha256"));
    }

    /** The ZeroMQ endpoint for a port, following jupyter_client's conventions for tcp and ipc. */
    public String endpoint(int port) {
        return switch (transport) {
            case "tcp" -> "tcp://" + ip + ":" + port;
            case "ipc" -> "ipc://" + ip + "-" + port;
            default -> throw new IllegalArgumentException(
                    "Unsupported transport '" + transport + "' in the connection file; use tcp or ipc");
        };
    }

    private static String text(JsonNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    private static int port(JsonNode json, String field, Path file) throws IOException {
        JsonNode node = json.get(field);
        if (node == null || !node.canConvertToInt() || node.asInt() <= 0) {
            throw new IOException("The connection file " + file + " has no valid '" + field + "'");
        }
        return node.asInt();
    }
}
