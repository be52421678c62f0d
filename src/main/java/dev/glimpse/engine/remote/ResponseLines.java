package dev.glimpse.engine.remote;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;

/**
 * One HTTP exchange read as events on the caller's thread: first the status, then each line of the body, then the
 * end or a failure. The caller polls, so it can check its cancellation token and its timeout between lines while
 * the HTTP client's threads receive; {@link #cancel()} abandons the exchange and closes the connection, which is
 * how the server learns the client has gone.
 */
final class ResponseLines {

    /** Something that happened to the exchange. */
    sealed interface Event permits Status, Line, End, Failed {
    }

    /** The response headers arrived. */
    record Status(int code, String contentType) implements Event {
    }

    /** One line of the body, without its terminator. */
    record Line(String text) implements Event {
    }

    /** The body ended. */
    record End() implements Event {
    }

    /** The exchange failed: no connection, a timeout, or a broken stream. */
    record Failed(Throwable cause) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    private ResponseLines(HttpClient client, HttpRequest request) {
        HttpResponse.BodyHandler<Void> handler = info -> {
            events.add(new Status(info.statusCode(), info.headers().firstValue("content-type").orElse("")));
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Sink());
        };
        response = client.sendAsync(request, handler);
        response.whenComplete((r, failure) -> {
            if (failure != null) {
                events.add(new Failed(failure));
            }
        });
    }

    /** Sends the request. */
    static ResponseLines send(HttpClient client, HttpRequest request) {
        return new ResponseLines(client, request);
    }

    /** The next event, or {@code null} when none came within {@code millis}. */
    Event poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Stops reading and closes the connection. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    private final class Sink implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            events.add(new Line(line));
        }

        @Override
        public void onError(Throwable failure) {
            events.add(new Failed(failure));
        }

        @Override
        public void onComplete() {
            events.add(new End());
        }
    }
}
