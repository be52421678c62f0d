package dev.glimpse.kernel.protocol;

/** Handles requests arriving on a ROUTER channel (shell or control), one at a time, on that channel's thread. */
@FunctionalInterface
public interface RequestHandler {

    /**
     * Handles one verified request.
     *
     * @param request the request
     * @param channel the channel it came on, to send the reply with {@link RouterChannel#send(Message)}
     */
    void handle(Message request, RouterChannel channel);
}
