package dev.glimpse.serve;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Usage;

/**
 * One chat completion request the server has finished with, for its log.
 *
 * @param id           the completion id ({@code chatcmpl-…})
 * @param status       the HTTP status sent, or {@link #CLIENT_CLOSED} when the client hung up before a non-streamed
 *                     answer was ready
 * @param stream       whether the answer was streamed
 * @param usage        token counts; zeros when nothing was generated
 * @param finishReason why generation ended, or {@code null} when there was none (the request was refused or
 *                     failed); {@link FinishReason#CANCELLED} when the client went away or the server shut down
 * @param error        the error message sent, or {@code null}
 * @param millis       from the request's arrival to the last byte of the answer
 */
public record RequestRecord(String id, int status, boolean stream, Usage usage, FinishReason finishReason,
                            String error, double millis) {

    /** nginx's "client closed request": nothing was sent, the client had gone. */
    public static final int CLIENT_CLOSED = 499;
}
