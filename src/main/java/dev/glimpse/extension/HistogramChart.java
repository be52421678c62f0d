package dev.glimpse.extension;

import dev.glimpse.pipeline.LatencyHistogram;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Draws a latency histogram as an image with Java2D. Not a Plotly chart: Tablesaw's plotting emits HTML that loads
 * plotly.js from a CDN, which shows nothing in a notebook opened offline; a PNG shows everywhere and is kept in the
 * notebook file. Marks the p95 latency and the threshold as vertical lines.
 */
final class HistogramChart {

    static final int WIDTH = 560;
    static final int HEIGHT = 240;
    static final Color BAR = new Color(70, 130, 180);
    static final Color P95 = new Color(230, 120, 20);
    static final Color LIMIT = new Color(200, 30, 50);
    private static final int LEFT = 44;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;

    private HistogramChart() {
    }

    /**
     * The chart.
     *
     * @param p95Millis   drawn as a dashed line, or NaN for none
     * @param limitMillis the threshold, drawn as a solid line, or NaN for none
     */
    static BufferedImage draw(LatencyHistogram h, double p95Millis, double limitMillis) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            double lo = h.bins() == 0 ? 0 : h.start();
            double hi = h.bins() == 0 ? 1 : h.lower(h.bins());
            if (Double.isFinite(limitMillis)) {
                hi = Math.max(hi, limitMillis * 1.05);
                lo = Math.min(lo, limitMillis);
            }
            double span = Math.max(hi - lo, 1e-9);
            int maxCount = Math.max(1, h.maxCount());
            g.setColor(BAR);
            for (int i = 0; i < h.bins(); i++) {
                int x0 = LEFT + (int) Math.round((h.lower(i) - lo) / span * plotW);
                int x1 = LEFT + (int) Math.round((h.lower(i + 1) - lo) / span * plotW);
                int barH = (int) Math.round((double) h.count(i) / maxCount * plotH);
                g.fillRect(x0 + 1, TOP + plotH - barH, Math.max(1, x1 - x0 - 2), barH);
            }
            g.setColor(Color.GRAY);
            g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
            g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
            marker(g, p95Millis, lo, span, plotW, plotH, P95, true);
            marker(g, limitMillis, lo, span, plotW, plotH, LIMIT, false);
            labels(g, h, lo, hi, maxCount, plotW, plotH, p95Millis, limitMillis);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void marker(Graphics2D g, double millis, double lo, double span, int plotW, int plotH,
                               Color color, boolean dashed) {
        if (!Double.isFinite(millis)) {
            return;
        }
        int x = LEFT + (int) Math.round((millis - lo) / span * plotW);
        g.setColor(color);
        g.setStroke(dashed ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
                : new BasicStroke(2));
        g.drawLine(x, TOP - 4, x, TOP + plotH);
        g.setStroke(new BasicStroke(1));
    }

    // text needs fonts, which a headless JVM may lack: then the chart goes without labels (the HTML has them)
    private static void labels(Graphics2D g, LatencyHistogram h, double lo, double hi, int maxCount, int plotW,
                               int plotH, double p95, double limit) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics m = g.getFontMetrics();
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f ms", lo), LEFT, TOP + plotH + 14);
            String right = String.format(Locale.ROOT, "%.0f ms", hi);
            g.drawString(right, LEFT + plotW - m.stringWidth(right), TOP + plotH + 14);
            g.drawString(Integer.toString(maxCount), LEFT - 6 - m.stringWidth(Integer.toString(maxCount)),
                    TOP + m.getAscent() / 2);
            g.drawString("0", LEFT - 6 - m.stringWidth("0"), TOP + plotH);
            g.drawString("answers per latency bin (" + String.format(Locale.ROOT, "%.0f", h.width()) + " ms wide)",
                    LEFT, TOP + plotH + 30);
            int x = LEFT;
            if (Double.isFinite(p95)) {
                g.setColor(P95);
                String s = String.format(Locale.ROOT, "- - p95 %.0f ms", p95);
                g.drawString(s, x, TOP - 10);
                x += m.stringWidth(s) + 16;
            }
            if (Double.isFinite(limit)) {
                g.setColor(LIMIT);
                g.drawString(String.format(Locale.ROOT, "— limit %.0f ms", limit), x, TOP - 10);
            }
        } catch (Error | RuntimeException e) {
            // no fonts: bars and lines only
        }
    }
}
