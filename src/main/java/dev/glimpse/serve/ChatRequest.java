package dev.glimpse.serve;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;

/**
 * A checked {@code POST /v1/chat/completions} request, images decoded.
 *
 * @param prompt       the conversation
 * @param options      the request's options over the server's defaults
 * @param stream       whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code stream_options.include_usage})
 * @param release      gives back the request's share of the {@link PixelBudget}; run it once the answer is done
 */
record ChatRequest(Prompt prompt, GenerationOptions options, boolean stream, boolean includeUsage, Runnable release) {
}
