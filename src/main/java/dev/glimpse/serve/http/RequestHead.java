package dev.glimpse.serve.http;

import com.sun.net.httpserver.Headers;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request line and its headers, as read off the wire.
 *
 * @param method        e.g. {@code POST}
 * @param uri           the request target
 * @param protocol      {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers       the header fields
 * @param contentLength the body's length; 0 when there is none
 * @param keepAlive     whether the client lets the connection stay open after the answer
 * @param expectContinue whether the client waits for {@code 100 Continue} before sending its body
 */
record RequestHead(String method, URI uri, String protocol, Headers headers, long contentLength, boolean keepAlive,
                   boolean expectContinue) {

    /** A head the server refuses, with the status to answer and a plain reason. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private static final int MAX_FIELDS = 100;

    /**
     * Where the head ends in {@code buf[0..length)}: the index just past its blank line, or -1 while it has not
     * arrived. Bare LF line ends are accepted, as most servers do.
     */
    static int end(byte[] buf, int length) {
        for (int i = 0; i < length; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < length && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < length && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** Parses {@code buf[0..end)}, which {@link #end} found. */
    static RequestHead parse(byte[] buf, int end) throws Malformed {
        String text = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isEmpty()) {
            first++; // a stray CRLF between requests is allowed (RFC 9112, 2.2)
        }
        if (first == lines.length) {
            throw new Malformed(400, "The request has no request line.");
        }
        String[] parts = lines[first].split(" ");
        if (parts.length != 3 || parts[0].isEmpty() || !parts[0].chars().allMatch(c -> c > 32 && c < 127)) {
            throw new Malformed(400, "The request line is not 'METHOD target HTTP/1.1'.");
        }
        String protocol = parts[2];
        if (!protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/1.0")) {
            throw new Malformed(505, "Only HTTP/1.1 and HTTP/1.0 are served.");
        }
        URI uri;
        try {
            uri = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new Malformed(400, "The request target is not a valid URI.");
        }
        Headers headers = new Headers();
        int fields = 0;
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                    || line.substring(0, colon).chars().anyMatch(c -> c <= 32 || c >= 127)) {
                throw new Malformed(400, "A header line is malformed (no 'Name: value', or folded).");
            }
            if (++fields > MAX_FIELDS) {
                throw new Malformed(431, "The request has more than " + MAX_FIELDS + " header fields.");
            }
            headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        if (headers.containsKey("Transfer-Encoding")) {
            throw new Malformed(411, "Chunked request bodies are not accepted; send a Content-Length.");
        }
        long length = 0;
        var lengths = headers.get("Content-Length");
        if (lengths != null) {
            String value = lengths.get(0);
            if (lengths.stream().anyMatch(v -> !v.equals(value)) || value.isEmpty() || value.length() > 18
                    || !value.chars().allMatch(Character::isDigit)) {
                throw new Malformed(400, "The Content-Length header is not one whole number.");
            }
            length = Long.parseLong(value);
        }
        String connection = headers.getFirst("Connection");
        String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        boolean keepAlive = protocol.equals("HTTP/1.1") ? !c.contains("close") : c.contains("keep-alive");
        String expect = headers.getFirst("Expect");
        boolean expectContinue = expect != null && expect.equalsIgnoreCase("100-continue")
                && protocol.equals("HTTP/1.1");
        return new RequestHead(parts[0], uri, protocol, headers, length, keepAlive, expectContinue);
    }
}
