package dev.glimpse.engine.remote;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.AnswerParser;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Timings;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds an {@link Answer} from the pieces an endpoint sends, passing each on to the {@link TokenListener}.
 *
 * <p>The pieces are put back together as the model wrote them — {@code <think>} where reasoning starts,
 * {@code </think>} where the answer resumes — so {@link AnswerParser} splits and trims them exactly as it does for
 * the local engine. Reasoning comes either in its own field (servers with a reasoning parser) or inline in the
 * content between think tags (servers without one); both are flagged as reasoning for the listener.
 *
 * <p>Timings: the wait for the first piece is the prefill, each later gap a decode step. Remote pieces have no
 * token ids: listeners get id {@value #UNKNOWN_ID}, and the answer's token ids are empty.
 */
final class StreamedAnswer {

    /** The token id listeners get for remote pieces. */
    static final int UNKNOWN_ID = -1;

    private final TokenListener listener;
    private final long start;
    private final double preprocessMillis;
    private final StringBuilder generated = new StringBuilder();
    private final List<Double> decodeMillis = new ArrayList<>();
    private boolean inReasoning;
    // reasoning opened by the reasoning field (not an inline tag): the answer field closes it
    private boolean reasoningByField;
    private long requestSent;
    private long lastPiece;
    private double prefillMillis;
    private int pieces;
    private Usage usage;
    private String finishReason;

    /**
     * @param start            {@link System#nanoTime()} when the call began
     * @param preprocessMillis time spent encoding the request (images to PNG)
     */
    StreamedAnswer(TokenListener listener, long start, double preprocessMillis) {
        this.listener = listener;
        this.start = start;
        this.preprocessMillis = preprocessMillis;
        this.requestSent = System.nanoTime();
    }

    /** Marks when the request went out: the prefill is measured from here. */
    void requestSent() {
        requestSent = System.nanoTime();
    }

    /** Takes one chunk's (or a whole completion's) delta. */
    void accept(ChatDelta delta) {
        if (delta.reasoning() != null && !delta.reasoning().isEmpty()) {
            reasoning(delta.reasoning());
        }
        if (delta.content() != null && !delta.content().isEmpty()) {
            content(delta.content());
        }
        if (delta.usage() != null) {
            usage = delta.usage();
        }
        if (delta.finishReason() != null) {
            finishReason = delta.finishReason();
        }
    }

    /** Whether a finish reason arrived. */
    boolean finished() {
        return finishReason != null;
    }

    private void reasoning(String piece) {
        if (!inReasoning) {
            generated.append(AnswerParser.THINK);
            inReasoning = true;
            reasoningByField = true;
        }
        generated.append(piece);
        emit(piece, true);
    }

    private void content(String piece) {
        if (reasoningByField) {
            generated.append(AnswerParser.END_THINK);
            inReasoning = false;
            reasoningByField = false;
        }
        generated.append(piece);
        // inline think tags switch the flag for what follows them
        int from = 0;
        while (from < piece.length()) {
            int think = piece.indexOf(AnswerParser.THINK, from);
            int end = piece.indexOf(AnswerParser.END_THINK, from);
            int tag = think < 0 ? end : end < 0 ? think : Math.min(think, end);
            if (tag < 0) {
                emit(piece.substring(from), inReasoning);
                return;
            }
            emit(piece.substring(from, tag), inReasoning);
            inReasoning = tag == think;
            from = tag + (inReasoning ? AnswerParser.THINK : AnswerParser.END_THINK).length();
        }
    }

    private void emit(String text, boolean reasoning) {
        if (text.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (pieces == 0) {
            prefillMillis = (now - requestSent) / 1e6;
        } else {
            decodeMillis.add((now - lastPiece) / 1e6);
        }
        lastPiece = now;
        pieces++;
        listener.onToken(new TokenListener.Token(UNKNOWN_ID, text, reasoning));
    }

    /** The answer so far; {@code cancelled} marks a partial answer the caller stopped. */
    Answer answer(boolean cancelled) {
        AnswerParser.Parsed parsed = AnswerParser.parse(generated.toString());
        FinishReason reason = cancelled ? FinishReason.CANCELLED : finishReason(finishReason);
        // without usage from the server, the pieces stand in for tokens (servers send one token per chunk)
        Usage u = usage != null ? usage : new Usage(0, pieces);
        double total = (System.nanoTime() - start) / 1e6;
        if (pieces == 0) {
            prefillMillis = (System.nanoTime() - requestSent) / 1e6;
        }
        return new Answer(parsed.text(), parsed.reasoning(), parsed.boxes(), u,
                new Timings(preprocessMillis, 0, prefillMillis, decodeMillis, total), reason, List.of());
    }

    // OpenAI's reasons, vLLM's "abort", Zhipu's "sensitive" / "network_error": only length is a limit
    static FinishReason finishReason(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "length" -> FinishReason.LENGTH;
            case "abort", "cancelled" -> FinishReason.CANCELLED;
            default -> FinishReason.STOP;
        };
    }
}
