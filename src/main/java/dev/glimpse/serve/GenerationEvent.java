package dev.glimpse.serve;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.TokenListener;

/** What the generating thread hands a streaming request's HTTP thread: tokens, then the answer or the failure. */
sealed interface GenerationEvent {

    /** One generated token with text. */
    record Piece(TokenListener.Token token) implements GenerationEvent {
    }

    /** The generation ended with this answer. */
    record Finished(Answer answer) implements GenerationEvent {
    }

    /** The generation failed, or was skipped (cancelled while queued). */
    record Failed(Throwable cause) implements GenerationEvent {
    }
}
