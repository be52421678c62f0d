package dev.glimpse.pipeline;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;

import java.util.concurrent.atomic.AtomicInteger;

/** A real model that counts its calls, to prove what a run asked and what it did not. */
final class CountingModel implements VisionLanguageModel {

    private final VisionLanguageModel model;
    private final AtomicInteger calls = new AtomicInteger();

    CountingModel(VisionLanguageModel model) {
        this.model = model;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public Answer generate(Prompt prompt, GenerationOptions options, TokenListener listener,
                           CancellationToken cancel) {
        calls.incrementAndGet();
        return model.generate(prompt, options, listener, cancel);
    }

    @Override
    public void close() {
        // the wrapped model is shared by the test class
    }
}
