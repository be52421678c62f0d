package dev.glimpse.kernel.protocol;

import dev.glimpse.kernel.memory.HeapReserve;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The heartbeat REP socket: echoes every ping, on its own thread, whatever the kernel is doing, also when a cell has
 * filled the heap (see {@link HeapReserve}).
 */
final class Heartbeat {
    Heartbeat(ZContext context, String endpoint) {
        ZMQ.Socket socket = context.createSocket(SocketType.REP);
        socket.setLinger(0);
        if (!socket.bind(endpoint)) {
            throw new IllegalStateException("Cannot bind the heartbeat channel to " + endpoint);
        }
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    try {
                        byte[] ping = socket.recv(0);
                        if (ping == null) {
                            return;
                        }
                        socket.send(ping, 0);
                    } catch (OutOfMemoryError e) {
                        HeapReserve.instance().release(); // a cell filled the heap: that ping is lost, not the beat
                    }
                }
            } catch (ZMQException e) {
                // context terminated: the kernel is shutting down
            }
        }, "glimpse-heartbeat");
        thread.setDaemon(true);
        thread.start();
    }
}
