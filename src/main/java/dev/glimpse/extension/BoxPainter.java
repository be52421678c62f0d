package dev.glimpse.extension;

import dev.glimpse.engine.Box;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws grounding boxes on images and scales images down for thumbnails. A box in GLM-4V's 0–1000 coordinates lands
 * at pixel {@code value × side / 1000} of the image it is drawn on; its outline is centred on that edge, in one of
 * {@link #COLORS} by its number, with the number (from 1) in a tag at its top-left corner.
 */
final class BoxPainter {

    /** Outline colours, box {@code i} (0-based) in {@code COLORS[i % COLORS.length]}. */
    static final Color[] COLORS = {
            new Color(230, 25, 75), new Color(0, 130, 200), new Color(60, 180, 75), new Color(245, 130, 48),
            new Color(145, 30, 180), new Color(240, 50, 230)};

    private static volatile boolean textWorks = true;

    private BoxPainter() {
    }

    /** The outline width for an image: 2 px, thicker on large images so that boxes stay visible. */
    static int strokeWidth(int width, int height) {
        return Math.max(2, Math.round(Math.min(width, height) / 200f));
    }

    /** A copy of {@code image} with the boxes drawn on it. */
    static BufferedImage draw(BufferedImage image, List<Box> boxes) {
        BufferedImage out = copy(image, image.getWidth(), image.getHeight());
        paint(out, boxes);
        return out;
    }

    /** A copy scaled so that its longest side is at most {@code maxSide} (never enlarged), with the boxes drawn. */
    static BufferedImage thumbnail(BufferedImage image, List<Box> boxes, int maxSide) {
        BufferedImage out = scaled(image, maxSide);
        if (out == image) {
            out = copy(image, image.getWidth(), image.getHeight());
        }
        paint(out, boxes);
        return out;
    }

    /** {@code image} itself when it fits in {@code maxSide}, else a smoothly scaled-down RGB copy. */
    static BufferedImage scaled(BufferedImage image, int maxSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (Math.max(w, h) <= maxSide) {
            return image;
        }
        double scale = (double) maxSide / Math.max(w, h);
        BufferedImage current = image;
        int cw = w;
        int ch = h;
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        // halve step by step: one bilinear step from far above loses detail and aliases
        do {
            cw = Math.max(tw, cw / 2);
            ch = Math.max(th, ch / 2);
            BufferedImage next = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(current, 0, 0, cw, ch, null);
            } finally {
                g.dispose();
            }
            current = next;
        } while (cw != tw || ch != th);
        return current;
    }

    private static BufferedImage copy(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void paint(BufferedImage image, List<Box> boxes) {
        if (boxes.isEmpty()) {
            return;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int stroke = strokeWidth(w, h);
        Graphics2D g = image.createGraphics();
        try {
            g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_SQUARE, BasicStroke.JOIN_MITER));
            for (int i = 0; i < boxes.size(); i++) {
                Box px = boxes.get(i).toPixels(w, h);
                int x1 = (int) Math.round(Math.min(px.x1(), px.x2()));
                int y1 = (int) Math.round(Math.min(px.y1(), px.y2()));
                int x2 = (int) Math.round(Math.max(px.x1(), px.x2()));
                int y2 = (int) Math.round(Math.max(px.y1(), px.y2()));
                Color color = COLORS[i % COLORS.length];
                g.setColor(color);
                g.drawRect(x1, y1, x2 - x1, y2 - y1);
                tag(g, Integer.toString(i + 1), x1, y1, color, stroke);
            }
        } finally {
            g.dispose();
        }
    }

    // the box's number in a filled tag inside its top-left corner; skipped where Java2D has no fonts
    private static void tag(Graphics2D g, String text, int x, int y, Color color, int stroke) {
        if (!textWorks) {
            return;
        }
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, stroke * 6)));
            FontMetrics m = g.getFontMetrics();
            int pad = 2;
            int tx = x + stroke;
            int ty = y + stroke;
            g.setColor(color);
            g.fillRect(tx, ty, m.stringWidth(text) + 2 * pad, m.getAscent() + pad);
            g.setColor(Color.WHITE);
            g.drawString(text, tx + pad, ty + m.getAscent());
        } catch (Error | RuntimeException e) {
            textWorks = false; // no fonts in this JVM (headless without fontconfig): outlines only
        }
    }
}
