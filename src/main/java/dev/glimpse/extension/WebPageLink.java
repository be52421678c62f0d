package dev.glimpse.extension;

import java.net.URI;

/**
 * Where the web page of a notebook's model is ({@link Vision#webPage()}); it shows itself as a link.
 *
 * @param url   the page, e.g. {@code http://127.0.0.1:7860/}
 * @param model the model it answers with
 */
public record WebPageLink(URI url, String model) {

    /** The API root of the same server, for OpenAI clients, e.g. {@code http://127.0.0.1:7860/v1}. */
    public URI apiRoot() {
        return url.resolve("/v1");
    }

    @Override
    public String toString() {
        return "Glimpse web page for " + model + ": " + url + " (stops with the kernel, or call stopWebPage())";
    }
}
