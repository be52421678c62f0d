package dev.glimpse.extension;

import dev.glimpse.engine.AnswerParser;

import java.util.function.IntFunction;

/**
 * Replaces GLM-4V's box markup ({@code <|begin_of_box|>[x1,y1,x2,y2]<|end_of_box|>}) in answer text with the numbers
 * of the boxes, which match the numbers drawn on the image: the n-th well-formed box of the answer is box n.
 */
final class BoxMarkers {

    static final String BEGIN = "<|begin_of_box|>";
    static final String END = "<|end_of_box|>";

    private BoxMarkers() {
    }

    /**
     * The text with every box group replaced by {@code label.apply(n)} for each of its boxes (numbered from 1); a
     * malformed group keeps its content, and a group still being written (no end marker) becomes {@code pending}.
     */
    static String replace(String text, IntFunction<String> label, String pending) {
        StringBuilder out = new StringBuilder(text.length());
        int number = 0;
        int from = 0;
        while (true) {
            int open = text.indexOf(BEGIN, from);
            if (open < 0) {
                out.append(text, from, text.length());
                return out.toString();
            }
            out.append(text, from, open);
            int close = text.indexOf(END, open + BEGIN.length());
            if (close < 0) {
                out.append(pending);
                return out.toString();
            }
            String group = text.substring(open, close + END.length());
            int boxes = AnswerParser.boxes(group).size();
            if (boxes == 0) {
                out.append(text, open + BEGIN.length(), close);
            }
            for (int i = 0; i < boxes; i++) {
                out.append(label.apply(++number));
            }
            from = close + END.length();
        }
    }

    /** Plain labels: {@code [1]}. */
    static String plain(String text) {
        return replace(text, n -> "[" + n + "]", "[…]");
    }
}
