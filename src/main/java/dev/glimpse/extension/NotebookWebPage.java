package dev.glimpse.extension;

import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.serve.ChatServer;
import dev.glimpse.serve.ServeOptions;

/**
 * The web page ({@code glimpse web}'s server) started from a notebook on the model the kernel already holds. One
 * per kernel; it stops with the kernel.
 */
final class NotebookWebPage {

    /** The port {@code glimpse web} uses too; when it is taken (another kernel's page), any free port. */
    static final int DEFAULT_PORT = 7860;

    private final ModelSlot slot;
    private ChatServer server;
    private WebPageLink link;

    NotebookWebPage(ModelSlot slot) {
        this.slot = slot;
    }

    /**
     * Starts the page on {@code port} (0 for any free one) unless it runs already; returns where it is.
     *
     * @param model the model the slot holds now: its name is the one the page shows and requests send
     * @throws IllegalArgumentException when a port other than the default is taken
     */
    synchronized WebPageLink start(VisionLanguageModel model, int port) {
        if (server != null) {
            return link;
        }
        String name = model.info().name();
        ServeOptions options = ServeOptions.of(name).withPort(port)
                .withDefaults(Session.baseOptions(model).withMaxNewTokens(1024));
        ChatServer started;
        try {
            started = ChatServer.start(new SlotModel(slot), options);
        } catch (IllegalArgumentException taken) {
            if (port != DEFAULT_PORT) {
                throw taken;
            }
            started = ChatServer.start(new SlotModel(slot), options.withPort(0));
        }
        server = started;
        link = new WebPageLink(started.pageUrl(), name);
        return link;
    }

    /** Stops the page; whether one was running. Requests in progress end as cancelled. */
    synchronized boolean stop() {
        if (server == null) {
            return false;
        }
        server.close();
        server = null;
        link = null;
        return true;
    }
}
