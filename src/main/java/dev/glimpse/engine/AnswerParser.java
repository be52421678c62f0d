package dev.glimpse.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits GLM-4V's generated text into reasoning and answer, and reads its grounding boxes. Pure text logic, shared
 * by every {@link VisionLanguageModel}: the local engine parses what it decoded, a remote client what the endpoint
 * streamed.
 *
 * <p>The text is what the model generated after the prompt, decoded with special tokens written out:
 * {@code <think>reasoning</think>answer} when thinking, the answer alone otherwise. Boxes are written
 * {@code <|begin_of_box|>[x1,y1,x2,y2]<|end_of_box|>} in 0–1000 coordinates, or several at once as
 * {@code [[x1,y1,x2,y2],[…]]}; they stay in the answer text as written.
 */
public final class AnswerParser {

    /** Opens the reasoning. */
    public static final String THINK = "<think>";
    /** Closes the reasoning; the answer follows. */
    public static final String END_THINK = "</think>";
    /** Opens a grounding box. */
    public static final String BEGIN_OF_BOX = "<|begin_of_box|>";
    /** Closes a grounding box. */
    public static final String END_OF_BOX = "<|end_of_box|>";

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
        int end = generated.indexOf(END_THINK);
        if (end >= 0) {
            int start = generated.lastIndexOf(THINK, end);
            reasoning = generated.substring(start >= 0 ? start + THINK.length() : 0, end);
            answer = generated.substring(end + END_THINK.length());
        } else {
            int start = generated.indexOf(THINK);
            if (start >= 0) {
                reasoning = generated.substring(start + THINK.length());
                answer = generated.substring(0, start);
            }
        }
        answer = strip(answer);
        return new Parsed(strip(reasoning), answer, boxes(answer));
    }

    /** Every well-formed box between box markers in {@code text}, in order; malformed ones are skipped. */
    public static List<Box> boxes(String text) {
        List<Box> boxes = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf(BEGIN_OF_BOX, from);
            if (open < 0) {
                return boxes;
            }
            int contentStart = open + BEGIN_OF_BOX.length();
            int close = text.indexOf(END_OF_BOX, contentStart);
            if (close < 0) {
                return boxes;
            }
            boxes.addAll(parseCoordinates(text.substring(contentStart, close)));
            from = close + END_OF_BOX.length();
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

    /**
     * Python's {@code str.strip()}: trims what Python counts as white space ({@code str.isspace()}), as GLM's chat
     * template does. Answers and reasoning are trimmed this way.
     */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Whether {@link #strip} trims {@code c}. */
    public static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
