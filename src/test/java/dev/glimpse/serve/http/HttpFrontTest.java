package dev.glimpse.serve.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front's HTTP/1.1 on the wire: what it refuses before reading, and what it keeps apart. */
class HttpFrontTest {

    private static HttpFront front;
    private static ExecutorService threads;

    @BeforeAll
    static void start() throws IOException {
        threads = Executors.newFixedThreadPool(2);
        front = HttpFront.open(new InetSocketAddress("127.0.0.1", 0), HttpLimits.DEFAULT.withMaxBodyBytes(1000)
                .withRequestTimeout(Duration.ofSeconds(5)));
        // answers with the request's method, path and body
        front.route("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] out = (exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }, threads);
        front.start();
    }

    @AfterAll
    static void stop() {
        front.close();
        threads.shutdownNow();
    }

    // sends `request`, then reads until the server closes or `answers` answers have come
    private static String exchange(String request, int answers) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(front.address(), 1000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    got.write(buffer, 0, n);
                    String text = got.toString(StandardCharsets.ISO_8859_1);
                    if (text.split("HTTP/1.1 ", -1).length - 1 >= answers && complete(text)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // report what came
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean complete(String text) {
        int head = text.lastIndexOf("\r\n\r\n");
        int length = text.lastIndexOf("Content-Length: ");
        if (head < 0 || length < 0) {
            return false;
        }
        int n = Integer.parseInt(text.substring(length + 16, text.indexOf("\r\n", length)));
        return text.length() - head - 4 >= n;
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsSent() throws IOException {
        String answer = exchange("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n", 1);
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.contains("at most 1000 bytes"), answer);
    }

    @Test
    void chunkedBodiesAndHugeHeadsAreRefused() throws IOException {
        assertTrue(exchange("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 1)
                .startsWith("HTTP/1.1 411 "));
        assertTrue(exchange("GET /x HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 1)
                .startsWith("HTTP/1.1 431 "));
        assertTrue(exchange("GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n", 1)
                .startsWith("HTTP/1.1 400 "));
        assertTrue(exchange("GET /x HTTP/2.0\r\nHost: h\r\n\r\n", 1).startsWith("HTTP/1.1 505 "));
    }

    @Test
    void expectContinueGetsA100First() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(front.address(), 1000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("POST /c HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[1024];
            int n = s.getInputStream().read(buffer);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(buffer, 0, n, StandardCharsets.US_ASCII));
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            n = s.getInputStream().read(buffer);
            assertTrue(new String(buffer, 0, n, StandardCharsets.US_ASCII).endsWith("POST /c hello"));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        String answers = exchange("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\none"
                + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\ntwo", 2);
        int a = answers.indexOf("POST /a one");
        int b = answers.indexOf("POST /b two");
        assertTrue(a > 0 && b > a, answers);
    }

    @Test
    void http10ClosesAfterTheAnswer() throws IOException {
        String answer = exchange("GET /old HTTP/1.0\r\n\r\n", 1);
        assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.contains("Connection: close\r\n"), answer);
        assertTrue(answer.endsWith("GET /old "), answer);
    }
}
