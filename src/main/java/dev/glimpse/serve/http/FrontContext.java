package dev.glimpse.serve.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The route an exchange came through, for handlers that ask their context for its path. */
final class FrontContext extends HttpContext {

    private final String path;
    private HttpHandler handler;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    FrontContext(String path, HttpHandler handler) {
        this.path = path;
        this.handler = handler;
    }

    @Override
    public HttpHandler getHandler() {
        return handler;
    }

    @Override
    public void setHandler(HttpHandler h) {
        handler = h;
    }

    @Override
    public String getPath() {
        return path;
    }

    /** There is no {@link HttpServer} behind this front. */
    @Override
    public HttpServer getServer() {
        return null;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    /** Filters are not run; route to a handler that does the work instead. */
    @Override
    public List<Filter> getFilters() {
        return List.of();
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
        throw new UnsupportedOperationException("authenticators are not supported; check in the handler");
    }

    @Override
    public Authenticator getAuthenticator() {
        return null;
    }
}
