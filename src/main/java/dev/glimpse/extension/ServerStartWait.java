package dev.glimpse.extension;

import dev.glimpse.display.Html;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import dev.glimpse.engine.remote.RemoteModelException;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Waits in a cell for an endpoint that is still starting (a kernel opened while {@code glimpse web} loads its
 * model): one line, {@code Waiting for the model server at http://…/v1 to finish starting… 12 s (up to 2 min)},
 * updated while it waits, then what came of it. The cell's interrupt stops the wait.
 */
final class ServerStartWait implements OpenAiCompatibleModel.StartupWait {

    private final CellOutput output;
    private String displayId;
    private URI root;
    private long waitedMillis;

    ServerStartWait(CellOutput output) {
        this.output = output;
    }

    /**
     * {@code model.generate}, cancelled by the cell's interrupt; when {@code model} is an endpoint on this machine
     * ({@link OpenAiCompatibleModel#waitsForStartup}) that is still starting (connection refused, or 503 {@code model_not_ready}), waits for it in the cell, up to the client's
     * startup wait, and asks once more. Every other failure is reported at once.
     */
    static dev.glimpse.engine.Answer generate(VisionLanguageModel model, Prompt prompt, GenerationOptions options,
                                              TokenListener listener, CellOutput output) {
        CancellationToken cancel = output.live() ? output::interruptRequested : CancellationToken.NEVER;
        try {
            return model.generate(prompt, options, listener, cancel);
        } catch (RemoteModelException e) {
            if (!e.serverStarting() || !(model instanceof OpenAiCompatibleModel remote) || !remote.waitsForStartup()) {
                throw e;
            }
            new ServerStartWait(output).await(remote, cancel);
            return model.generate(prompt, options, listener, cancel);
        }
    }

    /**
     * Before a batch ({@code askAll}, {@code evaluate}): when {@code model} is an endpoint on this machine, waits in the cell while it
     * is still starting, so that the batch does not record every item as "cannot reach". Costs one
     * {@code GET /models} when it is up.
     *
     * @throws RemoteModelException  when it does not start within the client's startup wait
     * @throws CancellationException when the cell is interrupted
     */
    static void awaitIfStarting(VisionLanguageModel model, CellOutput output) {
        if (model instanceof OpenAiCompatibleModel remote && remote.waitsForStartup()) {
            new ServerStartWait(output).await(remote,
                    output.live() ? output::interruptRequested : CancellationToken.NEVER);
        }
    }

    /**
     * Waits for {@code model}'s endpoint to answer.
     *
     * @throws dev.glimpse.engine.remote.RemoteModelException when it does not within the client's startup wait
     * @throws CancellationException when the cell is interrupted
     */
    void await(OpenAiCompatibleModel model, CancellationToken cancel) {
        boolean answered;
        try {
            answered = model.awaitStarted(this, cancel);
        } catch (RuntimeException e) {
            show(line(model.baseUrl(), "did not start", waitedMillis, null));
            throw e;
        }
        if (!answered) {
            show(line(model.baseUrl(), "was not waited for (interrupted)", waitedMillis, null));
            throw new CancellationException("Interrupted while waiting for the model server at " + model.baseUrl()
                    + " to finish starting. Ask again once it is up.");
        }
        if (displayId != null) {
            show(line(model.baseUrl(), "answered", waitedMillis, null));
        }
    }

    @Override
    public void waiting(URI root, Duration waited, Duration bound) {
        this.root = root;
        this.waitedMillis = waited.toMillis();
        show(line(root, null, waitedMillis, bound));
    }

    /** The line shown: while waiting ({@code outcome} null) or when done. */
    static String line(URI root, String outcome, long waitedMillis, Duration bound) {
        if (outcome == null) {
            return "Waiting for the model server at " + root + " to finish starting… "
                    + TimingLine.duration(waitedMillis) + " (up to " + TimingLine.duration(bound.toMillis())
                    + "; interrupt the cell to stop waiting)";
        }
        return "The model server at " + root + " " + outcome + " after " + TimingLine.duration(waitedMillis) + ".";
    }

    private void show(String line) {
        if (!output.live() || (displayId == null && root == null)) {
            return; // nothing shown when the endpoint answered at once
        }
        Bundle bundle = new Bundle().put(Bundle.HTML, "<div style=\"color:#555\">" + Html.escape(line) + "</div>")
                .put(Bundle.PLAIN, line);
        if (displayId == null) {
            displayId = output.show(bundle);
        } else {
            output.update(displayId, bundle);
        }
    }
}
