package dev.glimpse.engine.remote;

import java.net.URI;
import java.time.Duration;

/**
 * A remote endpoint could not answer: it is unreachable, rejected the API key, has no such model, timed out, or
 * refused or failed the request. The message names the endpoint and the fix.
 */
public final class RemoteModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final boolean serverStarting;

    RemoteModelException(String message, int statusCode, Throwable cause) {
        this(message, statusCode, cause, false);
    }

    private RemoteModelException(String message, int statusCode, Throwable cause, boolean serverStarting) {
        super(message, cause);
        this.statusCode = statusCode;
        this.serverStarting = serverStarting;
    }

    /**
     * Whether the endpoint may simply not have started yet: the connection was refused, or it answered 503 with
     * code {@code model_not_ready}. Nothing was generated; waiting ({@link OpenAiCompatibleModel#awaitStarted}) and
     * asking again may succeed.
     */
    public boolean serverStarting() {
        return serverStarting;
    }

    /** The HTTP status the endpoint answered with, or 0 when there was no HTTP answer (unreachable, timeout). */
    public int statusCode() {
        return statusCode;
    }

    static RemoteModelException refused(URI root, Throwable cause) {
        return new RemoteModelException("cannot reach " + root + ": is the server running? (connection refused)", 0,
                cause, true);
    }

    /** The error after waiting {@code waited} for an endpoint that was still starting: its last error, and how long. */
    static RemoteModelException notStarted(RemoteModelException last, Duration waited) {
        return new RemoteModelException(last.getMessage() + " (waited " + seconds(waited) + " for it to start; "
                + "start it, or check the URL)", last.statusCode, last, false);
    }

    static RemoteModelException unknownHost(URI root, Throwable cause) {
        return new RemoteModelException("cannot reach " + root + ": unknown host " + root.getHost()
                + "; check the URL", 0, cause);
    }

    static RemoteModelException connectTimeout(URI root, Duration timeout, Throwable cause) {
        return new RemoteModelException("cannot reach " + root + ": no connection within " + seconds(timeout)
                + "; check the host and port, and that a firewall lets the connection through", 0, cause);
    }

    static RemoteModelException unreachable(URI root, Throwable cause) {
        return new RemoteModelException("cannot reach " + root + ": " + cause, 0, cause);
    }

    static RemoteModelException noAnswer(URI url, Duration timeout, Throwable cause) {
        return new RemoteModelException(url + " did not answer within " + seconds(timeout) + "; the server may be "
                + "busy or stuck. Raise the timeout (OpenAiCompatibleModel.Options) if answers take longer", 0, cause);
    }

    static RemoteModelException silent(URI url, Duration timeout) {
        return new RemoteModelException(url + " stopped streaming: nothing arrived for " + seconds(timeout)
                + "; the server may be stuck. Raise the timeout (OpenAiCompatibleModel.Options) if it is just slow",
                0, null);
    }

    static RemoteModelException cutOff(URI url) {
        return new RemoteModelException(url + " closed the stream before the answer was finished; check the "
                + "server's log", 0, null);
    }

    static RemoteModelException streamError(URI url, String message) {
        return new RemoteModelException("the endpoint failed while answering (" + url + "): " + message, 0, null);
    }

    static RemoteModelException badResponse(URI url, String problem) {
        return new RemoteModelException(url + " answered with something that is not an OpenAI chat completion: "
                + problem, 200, null);
    }

    /**
     * The error for an HTTP status other than 2xx.
     *
     * @param detail  the endpoint's own message, taken from its error body
     * @param model   the model that was asked for, or {@code null}
     * @param code    the endpoint's error code ({@code error.code}), or {@code null}
     * @param keySent whether an API key was sent
     */
    static RemoteModelException forStatus(int status, String detail, String code, URI root, URI url, String model,
                                          boolean keySent) {
        String http = "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        String message;
        if (status == 401 || status == 403) {
            message = (keySent ? "the endpoint rejected the API key" : "the endpoint requires an API key") + " ("
                    + http + "); set " + OpenAiCompatibleModel.API_KEY_VARIABLE + " or --api-key";
        } else if (status == 404) {
            message = (model == null ? "" : "model '" + model + "' ") + "not found at " + root + " (" + http
                    + "). Check the model name (GET " + root + "/models lists the served models) and that the URL "
                    + "is the API root, e.g. http://localhost:8000/v1";
        } else if (status == 429) {
            message = "the endpoint is rate-limiting requests (" + http + "); wait and retry, or send fewer at once";
        } else if (status >= 500) {
            message = "the endpoint failed (" + http + ") at " + url + "; check the server's log";
        } else {
            message = "the endpoint refused the request (" + http + ") at " + url;
        }
        return new RemoteModelException(message, status, null, status == 503 && "model_not_ready".equals(code));
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
