package dev.glimpse.extension;

import dev.glimpse.display.Html;
import dev.glimpse.display.ImageFormat;
import dev.glimpse.display.ImageRenderer;
import dev.glimpse.engine.Box;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out an answer, finished or still streaming, as a MIME bundle:
 * <ul>
 *   <li>{@code image/png}: the thumbnails of the images side by side, with the grounding boxes drawn on them;</li>
 *   <li>{@code text/html}: the full layout: thumbnails, prompt, the answer rendered from Markdown, box list,
 *       the reasoning in a folded {@code <details>}, and the timing line;</li>
 *   <li>{@code text/markdown}: the same without the pictures;</li>
 *   <li>{@code text/plain}: for consoles.</li>
 * </ul>
 * Box markup in the text becomes the numbers drawn on the image.
 */
final class AnswerView {

    /** Where an answer is. */
    enum Phase {
        /** Asked; no token yet (vision encoder, prefill). */
        WAITING,
        /** Tokens are coming. */
        STREAMING,
        /** The model stopped by itself. */
        DONE,
        /** The token limit cut it off. */
        TRUNCATED,
        /** The cell was interrupted: a partial answer. */
        INTERRUPTED
    }

    /**
     * What to show.
     *
     * @param prompt    the question
     * @param images    the images asked about
     * @param text      the answer so far (box markup included)
     * @param reasoning the reasoning so far
     * @param boxes     boxes to draw (final answers only)
     * @param phase     where the answer is
     * @param footer    the timing line, or a progress line while streaming
     */
    record Snapshot(String prompt, List<Image> images, String text, String reasoning, List<Box> boxes, Phase phase,
                    String footer) {
    }

    static final int GAP = 8;
    /** The widest a strip of several images gets, in pixels. */
    static final int STRIP_MAX_WIDTH = 2400;

    private AnswerView() {
    }

    /** The snapshot of a finished (or interrupted) answer. */
    static Snapshot snapshot(Answer a) {
        Phase phase = a.interrupted() ? Phase.INTERRUPTED : a.truncated() ? Phase.TRUNCATED : Phase.DONE;
        return new Snapshot(a.prompt(), a.images(), a.text(), a.reasoning(), a.boxes(), phase, TimingLine.of(a));
    }

    /** The bundle of a finished answer. */
    static Bundle bundle(Answer a) {
        return bundle(snapshot(a), picture(a.images(), a.boxes()), a.completionTokens());
    }

    /**
     * The picture of an answer as base64 PNG: the {@link #strip} of its images with the boxes drawn, or null without
     * images. One image without boxes is its own thumbnail, encoded once per image.
     */
    static String picture(List<Image> images, List<Box> boxes) {
        if (images.isEmpty()) {
            return null;
        }
        if (images.size() == 1 && boxes.isEmpty()) {
            return images.get(0).thumbnailPng();
        }
        return ImageRenderer.base64(strip(images, boxes), ImageFormat.PNG);
    }

    /**
     * The thumbnails of the images side by side ({@value #GAP} px of white between them), each with the boxes
     * drawn on it: the model's coordinates do not say which image a box belongs to. Many images share
     * {@value #STRIP_MAX_WIDTH} px, each thumbnail scaled down alike, so that thirty photos make a strip that is
     * quick to draw and to send.
     */
    static BufferedImage strip(List<Image> images, List<Box> boxes) {
        List<BufferedImage> thumbs = new ArrayList<>();
        for (Image image : images) {
            thumbs.add(boxes.isEmpty() ? image.thumbnail() : BoxPainter.draw(image.thumbnail(), boxes));
        }
        int gaps = GAP * (thumbs.size() - 1);
        int natural = thumbs.stream().mapToInt(BufferedImage::getWidth).sum();
        if (natural + gaps > STRIP_MAX_WIDTH) {
            double scale = Math.max(1.0, STRIP_MAX_WIDTH - gaps) / natural;
            thumbs.replaceAll(t -> BoxPainter.scaled(t,
                    Math.max(1, (int) (Math.max(t.getWidth(), t.getHeight()) * scale))));
        }
        if (thumbs.size() == 1) {
            return thumbs.get(0);
        }
        int width = thumbs.stream().mapToInt(BufferedImage::getWidth).sum() + GAP * (thumbs.size() - 1);
        int height = thumbs.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int x = 0;
            for (BufferedImage t : thumbs) {
                g.drawImage(t, x, 0, null);
                x += t.getWidth() + GAP;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The bundle of a snapshot.
     *
     * @param pngBase64 the picture (from {@link #strip}), or null without images
     * @param tokens    tokens generated so far
     */
    static Bundle bundle(Snapshot s, String pngBase64, int tokens) {
        Bundle bundle = new Bundle();
        bundle.put(Bundle.PNG, pngBase64);
        bundle.put(Bundle.HTML, html(s, pngBase64, tokens));
        bundle.put(Bundle.MARKDOWN, markdown(s, tokens));
        bundle.put(Bundle.PLAIN, plain(s, tokens));
        return bundle;
    }

    private static String status(Snapshot s, int tokens) {
        return switch (s.phase()) {
            case INTERRUPTED -> tokens == 0 ? "⏹ Interrupted before the first token: no answer."
                    : "⏹ Interrupted after " + tokens + " token" + (tokens == 1 ? "" : "s") + ": the answer is partial.";
            case TRUNCATED -> "✂ Cut off at the token limit (" + tokens + " tokens): raise it with "
                    + "options().maxTokens(n).";
            default -> null;
        };
    }

    private static String boxList(List<Box> boxes, boolean markdown) {
        if (boxes.isEmpty()) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            String n = markdown ? "**" + (i + 1) + "**" : Integer.toString(i + 1);
            items.add(n + " (" + coordinate(b.x1()) + ", " + coordinate(b.y1()) + ")–(" + coordinate(b.x2()) + ", "
                    + coordinate(b.y2()) + ")");
        }
        return "Boxes (0–1000): " + String.join(" · ", items);
    }

    private static String coordinate(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String cursor(Snapshot s) {
        return s.phase() == Phase.STREAMING || s.phase() == Phase.WAITING ? " ▍" : "";
    }

    static String markdown(Snapshot s, int tokens) {
        StringBuilder md = new StringBuilder();
        md.append("**Q:** ").append(oneLine(s.prompt())).append("\n\n");
        String text = BoxMarkers.replace(s.text(), n -> "**[" + n + "]**", "**[…]**");
        if (!text.isBlank() || cursor(s).isEmpty()) {
            md.append(text.isBlank() ? "*(no answer)*" : text).append(cursor(s)).append("\n\n");
        }
        String boxes = boxList(s.boxes(), true);
        if (boxes != null) {
            md.append(boxes).append("\n\n");
        }
        if (!s.reasoning().isBlank()) {
            md.append("<details").append(reasoningOpen(s) ? " open" : "").append("><summary>Reasoning</summary>\n\n")
                    .append(s.reasoning().strip()).append(s.text().isEmpty() ? cursor(s) : "")
                    .append("\n\n</details>\n\n");
        } else if (s.text().isEmpty() && !cursor(s).isEmpty()) {
            md.append("…\n\n");
        }
        String status = status(s, tokens);
        if (status != null) {
            md.append("**").append(status).append("**\n\n");
        }
        md.append('*').append(s.footer()).append('*');
        return md.toString();
    }

    // while the model is still reasoning, the reasoning is shown open so that it can be read as it comes
    private static boolean reasoningOpen(Snapshot s) {
        return s.text().isEmpty() && (s.phase() == Phase.STREAMING || s.phase() == Phase.WAITING);
    }

    static String html(Snapshot s, String pngBase64, int tokens) {
        StringBuilder html = new StringBuilder(256 + (pngBase64 == null ? 0 : pngBase64.length()));
        html.append("<div class=\"glimpse-answer\" style=\"line-height:1.45\">\n");
        if (pngBase64 != null) {
            html.append("<div><img src=\"data:image/png;base64,").append(pngBase64).append("\" alt=\"")
                    .append(Html.escape(imageNames(s.images()))).append("\" title=\"")
                    .append(Html.escape(imageNames(s.images()))).append("\" style=\"max-width:100%\"></div>\n");
        }
        html.append("<div style=\"margin:6px 0;color:#555\"><b>Q:</b> ").append(Html.escape(s.prompt()))
                .append("</div>\n");
        String marked = BoxMarkers.replace(s.text(), n -> "\u0001BOX" + n + "\u0002", "\u0001PENDING\u0002");
        String body = MarkdownHtml.render(marked.isBlank() && cursor(s).isEmpty() ? "*(no answer)*" : marked);
        body = labelBoxes(body);
        html.append("<div class=\"glimpse-answer-text\">").append(body);
        if (!cursor(s).isEmpty()) {
            html.append("<span style=\"opacity:.6\">").append(s.text().isEmpty() ? "…" : "▍").append("</span>");
        }
        html.append("</div>\n");
        String boxes = boxList(s.boxes(), false);
        if (boxes != null) {
            html.append("<div style=\"margin:4px 0\">").append(coloredBoxList(s.boxes())).append("</div>\n");
        }
        if (!s.reasoning().isBlank()) {
            html.append("<details").append(reasoningOpen(s) ? " open" : "")
                    .append("><summary style=\"cursor:pointer;color:#555\">Reasoning</summary>")
                    .append("<div style=\"white-space:pre-wrap;color:#555;margin:4px 0 4px 12px\">")
                    .append(Html.escape(s.reasoning().strip())).append("</div></details>\n");
        }
        String status = status(s, tokens);
        if (status != null) {
            html.append("<div style=\"margin:4px 0;color:#b00020;font-weight:bold\">").append(Html.escape(status))
                    .append("</div>\n");
        }
        html.append("<div style=\"margin-top:4px;color:#888;font-size:smaller\">").append(Html.escape(s.footer()))
                .append("</div>\n</div>");
        return html.toString();
    }

    // the placeholders survived Markdown rendering as plain characters: make them coloured numbers
    private static String labelBoxes(String html) {
        StringBuilder out = new StringBuilder(html.length());
        int from = 0;
        while (true) {
            int open = html.indexOf('\u0001', from);
            int close = open < 0 ? -1 : html.indexOf('\u0002', open);
            if (close < 0) {
                out.append(html, from, html.length());
                return out.toString();
            }
            out.append(html, from, open);
            String token = html.substring(open + 1, close);
            if (token.startsWith("BOX")) {
                int n = Integer.parseInt(token.substring(3));
                out.append(label(n));
            } else {
                out.append("<b>[…]</b>");
            }
            from = close + 1;
        }
    }

    private static String label(int n) {
        return "<b style=\"color:" + hex(BoxPainter.COLORS[(n - 1) % BoxPainter.COLORS.length]) + "\">[" + n
                + "]</b>";
    }

    private static String coloredBoxList(List<Box> boxes) {
        StringBuilder out = new StringBuilder("Boxes (0–1000): ");
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            if (i > 0) {
                out.append(" · ");
            }
            out.append(label(i + 1)).append(" (").append(coordinate(b.x1())).append(", ").append(coordinate(b.y1()))
                    .append(")–(").append(coordinate(b.x2())).append(", ").append(coordinate(b.y2())).append(')');
        }
        return out.toString();
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String plain(Snapshot s, int tokens) {
        StringBuilder out = new StringBuilder();
        out.append("Q: ").append(oneLine(s.prompt()));
        if (!s.images().isEmpty()) {
            out.append("  [").append(imageNames(s.images())).append(']');
        }
        out.append('\n');
        if (!s.reasoning().isBlank()) {
            out.append("Reasoning: ").append(s.reasoning().strip()).append('\n');
        }
        String text = BoxMarkers.plain(s.text());
        out.append("A: ").append(text.isBlank() && cursor(s).isEmpty() ? "(no answer)" : text).append(cursor(s))
                .append('\n');
        String boxes = boxList(s.boxes(), false);
        if (boxes != null) {
            out.append(boxes).append('\n');
        }
        String status = status(s, tokens);
        if (status != null) {
            out.append(status).append('\n');
        }
        return out.append(s.footer()).toString();
    }

    private static String imageNames(List<Image> images) {
        List<String> names = new ArrayList<>();
        for (Image image : images) {
            String source = image.source();
            int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
            names.add((slash >= 0 && slash < source.length() - 1 ? source.substring(slash + 1) : source) + " "
                    + image.width() + "×" + image.height());
        }
        return String.join(", ", names);
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
