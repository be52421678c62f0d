package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Role;
import java.util.Arrays;
import java.util.List;

/**
 * GLM-4.5V / 4.6V's chat format: renders a {@link Prompt} as the model's chat template does and turns it into
 * input ids with each image's {@code <|image|>} expanded to its token count.
 *
 * <pre>
 * [gMASK]&lt;sop&gt;&lt;|system|&gt;\n{system}
 * &lt;|user|&gt;\n{parts}&lt;|assistant|&gt;\n&lt;think&gt;&lt;/think&gt;\n{answer}
 * &lt;|user|&gt;\n{parts}&lt;|assistant|&gt;\n
 * </pre>
 * (one string; broken into lines here for reading).
 *
 * An image part is {@code <|begin_of_image|><|image|><|end_of_image|>}. Thinking is on by default; with thinking off
 * {@code /nothink} ends every user turn (unless it already does) and the generation prompt carries an empty
 * {@code <think></think>}. Reasoning written in an earlier assistant turn ({@code <think>…</think>answer}) is
 * dropped unless the turn comes after the last user turn.
 */
public final class ChatFormat {

    private static final String IMAGE_PART = SpecialTokens.BEGIN_OF_IMAGE + SpecialTokens.IMAGE
            + SpecialTokens.END_OF_IMAGE;

    private final Glm4vTokenizer tokenizer;
    private final SpecialTokens special;

    public ChatFormat(Glm4vTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.special = SpecialTokens.of(tokenizer);
    }

    /** The special-token ids of this model. */
    public SpecialTokens specialTokens() {
        return special;
    }

    /**
     * The prompt as text, with one {@code <|image|>} per image and the generation prompt
     * ({@code <|assistant|>\n}) at the end.
     *
     * @param thinking whether the model should reason first (the template's {@code enable_thinking}, default on)
     */
    public static String render(Prompt prompt, boolean thinking) {
        List<Message> messages = prompt.messages();
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() == Role.USER) {
                lastUser = i;
            }
        }
        StringBuilder out = new StringBuilder(SpecialTokens.GMASK).append(SpecialTokens.SOP);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            switch (m.role()) {
                case SYSTEM -> out.append(SpecialTokens.SYSTEM).append('\n').append(visibleText(m));
                case USER -> {
                    String text = visibleText(m);
                    out.append(SpecialTokens.USER).append('\n').append(text);
                    if (!thinking && !text.endsWith(SpecialTokens.NO_THINK)) {
                        out.append(SpecialTokens.NO_THINK);
                    }
                }
                case ASSISTANT -> renderAssistant(out, visibleText(m), i > lastUser);
                default -> throw new IllegalStateException("unknown role " + m.role());
            }
        }
        out.append(SpecialTokens.ASSISTANT).append('\n');
        if (!thinking) {
            out.append(SpecialTokens.THINK).append(SpecialTokens.END_THINK).append('\n');
        }
        return out.toString();
    }

    /**
     * Input ids of the prompt, each {@code <|image|>} repeated {@link ImageGrid#tokens(int)} times for its image.
     *
     * @param grids     the patch grid of each image of the prompt, in order
     * @param mergeSize the spatial merge size (2)
     */
    public int[] inputIds(Prompt prompt, boolean thinking, List<ImageGrid> grids, int mergeSize) {
        int images = prompt.images().size();
        if (grids.size() != images) {
            throw new IllegalArgumentException("The prompt has " + images + " image(s) but " + grids.size()
                    + " grid(s) were given");
        }
        int[] ids = tokenizer.encode(render(prompt, thinking));
        int placeholders = 0;
        int length = ids.length;
        for (int id : ids) {
            if (id == special.image()) {
                // a placeholder beyond the images (typed into the text) is refused below, not indexed
                if (placeholders < images) {
                    length += grids.get(placeholders).tokens(mergeSize) - 1;
                }
                placeholders++;
            }
        }
        if (placeholders != images) {
            throw new dev.glimpse.engine.PromptRejectedException("The prompt's text contains the special token " + SpecialTokens.IMAGE
                    + " " + (placeholders - images) + " time(s) besides its " + images + " image(s); remove it from "
                    + "the text (images are added as image parts)");
        }
        int[] out = new int[length];
        int o = 0;
        int image = 0;
        for (int id : ids) {
            if (id == special.image()) {
                int n = grids.get(image++).tokens(mergeSize);
                Arrays.fill(out, o, o + n, id);
                o += n;
            } else {
                out[o++] = id;
            }
        }
        return out;
    }

    private static void renderAssistant(StringBuilder out, String content, boolean afterLastUser) {
        String reasoning = "";
        String answer = content;
        int end = content.indexOf(SpecialTokens.END_THINK);
        if (end >= 0) {
            String before = stripTrailing(content.substring(0, end), "\n");
            int start = before.lastIndexOf(SpecialTokens.THINK);
            reasoning = stripLeading(start >= 0 ? before.substring(start + SpecialTokens.THINK.length()) : before,
                    "\n");
            answer = stripLeading(content.substring(content.lastIndexOf(SpecialTokens.END_THINK)
                    + SpecialTokens.END_THINK.length()), "\n");
        }
        out.append(SpecialTokens.ASSISTANT);
        if (afterLastUser && !reasoning.isEmpty()) {
            out.append('\n').append(SpecialTokens.THINK).append(PythonStrings.strip(reasoning))
                    .append(SpecialTokens.END_THINK);
        } else {
            out.append('\n').append(SpecialTokens.THINK).append(SpecialTokens.END_THINK);
        }
        String trimmed = PythonStrings.strip(answer);
        if (!trimmed.isEmpty()) {
            out.append('\n').append(trimmed);
        }
    }

    // the text of a message as the model sees it: text parts as they are, images as their placeholder
    private static String visibleText(Message m) {
        StringBuilder sb = new StringBuilder();
        for (Part part : m.parts()) {
            if (part instanceof Part.Text t) {
                sb.append(t.text());
            } else {
                sb.append(IMAGE_PART);
            }
        }
        return sb.toString();
    }

    private static String stripTrailing(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripLeading(String s, String chars) {
        int start = 0;
        while (start < s.length() && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        return s.substring(start);
    }
}
