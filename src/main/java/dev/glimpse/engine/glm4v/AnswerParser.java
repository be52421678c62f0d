package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits GLM-4V's generated text into reasoning and answer, and reads its grounding boxes.
 *
 * <p>The text is what the model generated after the prompt, decoded with special tokens written out:
 * {@code <think>reasoning</think>answer} when thinking, the answer alone otherwise. Boxes are written
 * {@code <|begin_of_box|>[x1,y1,x2,y2]<|end_of_box|>} in 0–1000 coordinates, or several at once as
 * {@code [[x1,y1,x2,y2],[…]]}; they stay in the answer text as written.
 */
public final class AnswerParser {

    private AnswerParser() {
    }

    /**
     * A parsed answer.
     *
     * @param reasoning the text between {@code <think>} and {@code </think>}, trimmed; empty when there is none
     * @param text      the answer after the reasoning, trimmed, boxes kept as written
     * @param boxes     every well-formed box in the answer, in order
     */
    public record Parsed(String reasoning, String text, List<Box> boxes) {
        public Parsed {
            boxes = List.copyOf(boxes);
        }
    }

    /** Parses generated text. Reasoning cut off before {@code </think>} (length limit) leaves the answer empty. */
    public static Parsed parse(String generated) {
        String reasoning = "";
        String answer = generated;
        int end = generated.indexOf(SpecialTokens.END_THINK);
        if (end >= 0) {
            int start = generated.lastIndexOf(SpecialTokens.THINK, end);
            reasoning = generated.substring(start >= 0 ? start + SpecialTokens.THINK.length() : 0, end);
            answer = generated.substring(end + SpecialTokens.END_THINK.length());
        } else {
            int start = generated.indexOf(SpecialTokens.THINK);
            if (start >= 0) {
                reasoning = generated.substring(start + SpecialTokens.THINK.length());
                answer = generated.substring(0, start);
            }
        }
        answer = PythonStrings.strip(answer);
        return new Parsed(PythonStrings.strip(reasoning), answer, boxes(answer));
    }

    /** Every well-formed box between box markers in {@code text}, in order; malformed ones are skipped. */
    public static List<Box> boxes(String text) {
        List<Box> boxes = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf(SpecialTokens.BEGIN_OF_BOX, from);
            if (open < 0) {
                return boxes;
            }
            int contentStart = open + SpecialTokens.BEGIN_OF_BOX.length();
            int close = text.indexOf(SpecialTokens.END_OF_BOX, contentStart);
            if (close < 0) {
                return boxes;
            }
            boxes.addAll(parseCoordinates(text.substring(contentStart, close)));
            from = close + SpecialTokens.END_OF_BOX.length();
        }
    }

    // "[x1,y1,x2,y2]" or "[[x1,y1,x2,y2],[...]]"; anything else yields no box
    private static List<Box> parseCoordinates(String content) {
        List<Box> out = new ArrayList<>();
        String s = content.strip();
        if (s.startsWith("[[") || s.startsWith("[ [")) {
            s = s.substring(1, s.endsWith("]") ? s.length() - 1 : s.length()).strip();
        }
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf('[', i);
            if (open < 0) {
                break;
            }
            int close = s.indexOf(']', open);
            if (close < 0) {
                return List.of();
            }
            Box box = box(s.substring(open + 1, close));
            if (box == null) {
                return List.of();
            }
            out.add(box);
            i = close + 1;
        }
        return out;
    }

    private static Box box(String numbers) {
        String[] parts = numbers.split(",");
        if (parts.length != 4) {
            return null;
        }
        double[] v = new double[4];
        for (int k = 0; k < 4; k++) {
            try {
                v[k] = Double.parseDouble(parts[k].strip());
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(v[k])) {
                return null;
            }
        }
        return new Box(v[0], v[1], v[2], v[3]);
    }
}
