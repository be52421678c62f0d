package dev.glimpse.serve.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One request of an {@link HttpFront}, fully read, and its answer. The answer's head waits to go out with the
 * first body bytes, so a small answer leaves in one write: a head and a body in two small segments would meet
 * Nagle's algorithm on the server and a delayed ACK on the client, ~40 ms on a kept-alive connection.
 */
final class FrontExchange extends HttpExchange {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 16 * 1024;

    private final FrontConnection connection;
    private final RequestHead head;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private InputStream requestBody;
    private OutputStream responseBody;
    private HttpContext context;
    private int code = -1;
    private long fixedLength = -1;
    private boolean chunked;
    private boolean noBody;
    private boolean keepAlive;
    private byte[] pendingHead;
    private long written;
    private boolean broken;
    private boolean finished;

    FrontExchange(FrontConnection connection, RequestHead head, byte[] body) {
        this.connection = connection;
        this.head = head;
        this.requestBody = new ByteArrayInputStream(body);
        this.responseBody = new ResponseStream();
        this.keepAlive = head.keepAlive();
    }

    FrontConnection connection() {
        return connection;
    }

    void context(HttpContext c) {
        context = c;
    }

    @Override
    public Headers getRequestHeaders() {
        return head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return head.uri();
    }

    @Override
    public String getRequestMethod() {
        return head.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public InputStream getRequestBody() {
        return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        return responseBody;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (code != -1) {
            throw new IOException("the response headers were sent already");
        }
        code = rCode;
        // a HEAD answer states the length its GET would have, as the handler set it or passed it
        String headLength = responseHeaders.getFirst("Content-Length");
        responseHeaders.remove("Content-Length");
        responseHeaders.remove("Transfer-Encoding");
        String connectionHeader = responseHeaders.getFirst("Connection");
        if (connectionHeader != null && connectionHeader.equalsIgnoreCase("close")) {
            keepAlive = false;
        }
        StringBuilder h = new StringBuilder(256);
        h.append("HTTP/1.1 ").append(rCode).append(' ').append(Reasons.phrase(rCode)).append("\r\n");
        boolean bodiless = rCode < 200 || rCode == 204 || rCode == 304;
        if (head.method().equals("HEAD") || bodiless) {
            noBody = true;
            if (!bodiless && (headLength != null || responseLength > 0)) {
                h.append("Content-Length: ").append(headLength != null ? headLength : Long.toString(responseLength))
                        .append("\r\n");
            }
        } else if (responseLength > 0) {
            fixedLength = responseLength;
            h.append("Content-Length: ").append(responseLength).append("\r\n");
        } else if (responseLength == 0) {
            if (head.protocol().equals("HTTP/1.1")) {
                chunked = true;
                h.append("Transfer-Encoding: chunked\r\n");
            } else {
                keepAlive = false; // the end of the connection ends the body
            }
        } else {
            noBody = true;
            h.append("Content-Length: 0\r\n");
        }
        responseHeaders.remove("Connection");
        if (!keepAlive) {
            h.append("Connection: close\r\n");
        }
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            for (String v : e.getValue()) {
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new IOException("response header " + e.getKey() + " contains a line break");
                }
                h.append(e.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        h.append("\r\n");
        pendingHead = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (noBody) {
            responseBody.close();
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        try {
            return (InetSocketAddress) connection.channel().getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        try {
            return (InetSocketAddress) connection.channel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String getProtocol() {
        return head.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            requestBody = i;
        }
        if (o != null) {
            responseBody = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** Ends the exchange: finishes the answer, then keeps the connection for the next request or closes it. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        if (code == -1) {
            broken = true; // no answer at all: the client learns from the closed connection
        } else {
            try {
                responseBody.close();
            } catch (IOException e) {
                broken = true;
            }
        }
        connection.answered(keepAlive && !broken);
    }

    private final class ResponseStream extends OutputStream {

        private final byte[] buffer = new byte[BUFFER];
        private int buffered;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (code == -1) {
                throw new IOException("send the response headers before the body");
            }
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (noBody && len > 0) {
                throw new IOException("this response has no body");
            }
            if (fixedLength >= 0 && written + buffered + len > fixedLength) {
                broken = true;
                throw new IOException("more bytes than the " + fixedLength + " announced");
            }
            if (buffered + len > buffer.length) {
                send(false);
                if (len > buffer.length) {
                    out(ByteBuffer.wrap(b, off, len), false);
                    return;
                }
            }
            System.arraycopy(b, off, buffer, buffered, len);
            buffered += len;
        }

        @Override
        public void flush() throws IOException {
            if (!closed && code != -1) {
                send(false);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed || code == -1) {
                return;
            }
            closed = true;
            send(true);
            if (fixedLength >= 0 && written != fixedLength) {
                broken = true;
                throw new IOException("the body ended after " + written + " of " + fixedLength + " bytes");
            }
        }

        private void send(boolean last) throws IOException {
            ByteBuffer data = ByteBuffer.wrap(buffer, 0, buffered);
            buffered = 0;
            out(data, last);
        }

        // the head still pending, the data as a chunk when chunked, and the last chunk when done, in one write
        private void out(ByteBuffer data, boolean last) throws IOException {
            List<ByteBuffer> parts = new ArrayList<>(5);
            if (pendingHead != null) {
                parts.add(ByteBuffer.wrap(pendingHead));
                pendingHead = null;
            }
            int n = data.remaining();
            if (n > 0) {
                if (chunked) {
                    parts.add(ByteBuffer.wrap((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                    parts.add(data);
                    parts.add(ByteBuffer.wrap(CRLF));
                } else {
                    parts.add(data);
                }
            }
            if (last && chunked) {
                parts.add(ByteBuffer.wrap(LAST_CHUNK));
            }
            if (parts.isEmpty()) {
                return;
            }
            try {
                connection.write(parts.toArray(ByteBuffer[]::new));
            } catch (IOException e) {
                broken = true;
                throw e;
            }
            written += n;
        }
    }
}
