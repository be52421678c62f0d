package dev.glimpse.engine.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP server on 127.0.0.1 that reads each HTTP request's head and answers with fixed bytes, then keeps the
 * connection open without a word: what a stuck server, a proxy's error page or a server that stalls mid-stream
 * looks like on the wire.
 */
final class OneShotHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> connections = new ArrayList<>();
    private final Thread thread;

    /** @param response the bytes sent after each request head; empty sends nothing at all */
    OneShotHttpServer(String response) throws IOException {
        socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try {
                while (true) {
                    Socket s = socket.accept();
                    synchronized (connections) {
                        connections.add(s);
                    }
                    readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "one-shot-http");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (connections) {
            for (Socket s : connections) {
                s.close();
            }
        }
    }
}
