package dev.glimpse.kernel.protocol;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.ArrayList;
import java.util.List;

/** Multipart receive and send on a socket owned by the calling thread. */
final class Frames {
    private Frames() {
    }

    /** Blocks for the next multipart message; {@code null} once the context is terminated. */
    static List<byte[]> receive(ZMQ.Socket socket) {
        try {
            byte[] first = socket.recv(0);
            if (first == null) {
                return null;
            }
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(0));
            }
            return frames;
        } catch (ZMQException e) {
            if (e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                return null;
            }
            throw e;
        }
    }

    static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }
}
