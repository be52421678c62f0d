package dev.glimpse.extension;

import dev.glimpse.engine.Box;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Timings;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * A model's answer together with what it answered: the prompt, the images, the model. In a notebook it shows the
 * image thumbnails with the grounding boxes drawn on them, the prompt, the answer as Markdown, the reasoning
 * (folded) and a line of timings; {@link #toString()} is the answer text.
 *
 * <pre>{@code
 * var a = ask(image("shapes.png"), "Where is the red circle?");
 * a.text();            // "The red circle is at <|begin_of_box|>[102,96,310,330]<|end_of_box|>."
 * a.boxes();           // [Box[x1=102.0, y1=96.0, x2=310.0, y2=330.0]]
 * a.completionTokens();
 * a.millis();
 * }</pre>
 */
public final class Answer {

    private final dev.glimpse.engine.Answer answer;
    private final String prompt;
    private final List<Image> images;
    private final ModelInfo model;
    private final String displayId;

    Answer(dev.glimpse.engine.Answer answer, String prompt, List<Image> images, ModelInfo model, String displayId) {
        this.answer = Objects.requireNonNull(answer, "answer");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.images = List.copyOf(images);
        this.model = Objects.requireNonNull(model, "model");
        this.displayId = displayId;
    }

    /**
     * Wraps an answer the engine gave (e.g. from {@code model().generate(..)}), so that it shows like one from
     * {@code ask}.
     */
    public static Answer of(dev.glimpse.engine.Answer answer, String prompt, List<Image> images, ModelInfo model) {
        return new Answer(answer, prompt, images, model, null);
    }

    /** The answer without its reasoning; grounding boxes stay in it as the model wrote them. */
    public String text() {
        return answer.text();
    }

    /** The reasoning the model did before answering, or empty (thinking off). */
    public String reasoning() {
        return answer.reasoning();
    }

    /** Grounding boxes in the answer, in GLM-4V's 0–1000 coordinates ({@code pixel = value × side / 1000}). */
    public List<Box> boxes() {
        return answer.boxes();
    }

    /** The question asked. */
    public String prompt() {
        return prompt;
    }

    /** The images asked about, in order. */
    public List<Image> images() {
        return images;
    }

    /** Tokens of the prompt, image tokens included. */
    public int promptTokens() {
        return answer.usage().promptTokens();
    }

    /** Tokens generated, reasoning included. */
    public int completionTokens() {
        return answer.usage().completionTokens();
    }

    /** Where the time went: preprocessing, vision encoder, prefill, each decoding step. */
    public Timings timings() {
        return answer.timings();
    }

    /** Wall time of the whole call in milliseconds. */
    public double millis() {
        return answer.timings().totalMillis();
    }

    /** Why generation ended: the model stopped, the token limit, or an interrupt. */
    public FinishReason finishReason() {
        return answer.finishReason();
    }

    /** Whether generation was interrupted, so the answer is partial. */
    public boolean interrupted() {
        return answer.finishReason() == FinishReason.CANCELLED;
    }

    /** Whether the token limit cut the answer off (raise it with {@code options().maxTokens(n)}). */
    public boolean truncated() {
        return answer.finishReason() == FinishReason.LENGTH;
    }

    /** The model that answered. */
    public ModelInfo model() {
        return model;
    }

    /** The engine's answer (token ids, finish reason, …). */
    public dev.glimpse.engine.Answer raw() {
        return answer;
    }

    /** The first image with the boxes drawn on it at full size, or {@code null} without images. */
    public BufferedImage annotated() {
        return images.isEmpty() ? null : images.get(0).withBoxes(boxes());
    }

    /** The id of the notebook output this answer was streamed into, or {@code null}. */
    String displayId() {
        return displayId;
    }

    /** The answer text. */
    @Override
    public String toString() {
        return text();
    }
}
