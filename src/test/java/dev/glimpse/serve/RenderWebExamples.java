package dev.glimpse.serve;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws the web page's example images (synthetic pictures for the notebooks' workflows: office objects, a menu, a
 * landscape, a manual page) into {@code src/main/resources/dev/glimpse/serve/web/examples/}. Run by hand from the
 * repository root: {@code java src/test/java/dev/glimpse/serve/RenderWebExamples.java}. The pictures are drawn
 * shapes and text, made by this project, under its licence.
 */
public final class RenderWebExamples {

    private static final int W = 480;
    private static final int H = 360;

    private RenderWebExamples() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/main/resources/dev/glimpse/serve/web/examples");
        Files.createDirectories(out);
        jpeg(office(), out.resolve("office.jpg"));
        jpeg(menu(), out.resolve("menu.jpg"));
        jpeg(landscape(), out.resolve("landscape.jpg"));
        jpeg(manual(), out.resolve("manual.jpg"));
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /** A desk seen from the front: laptop, mug, notebook, pen, plant, lamp. */
    static BufferedImage office() {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        g.setPaint(new GradientPaint(0, 0, new Color(226, 232, 240), 0, 230, new Color(200, 210, 222)));
        g.fillRect(0, 0, W, 230);
        g.setColor(new Color(150, 105, 70));                       // desk
        g.fillRect(0, 230, W, 130);
        g.setColor(new Color(120, 82, 55));
        g.fillRect(0, 230, W, 8);
        g.setColor(new Color(60, 64, 72));                         // laptop screen and base
        g.fillRoundRect(150, 100, 180, 120, 10, 10);
        g.setColor(new Color(110, 170, 220));
        g.fillRect(160, 110, 160, 98);
        g.setColor(new Color(90, 94, 102));
        g.fill(new Polygon(new int[]{130, 350, 365, 115}, new int[]{220, 220, 240, 240}, 4));
        g.setColor(new Color(235, 235, 235));                      // mug
        g.fillRoundRect(380, 175, 44, 58, 8, 8);
        g.setStroke(new BasicStroke(7));
        g.drawArc(412, 188, 28, 28, -90, 180);
        g.setColor(new Color(200, 60, 50));
        g.fillRect(380, 192, 44, 10);
        g.setColor(new Color(40, 90, 160));                        // notebook
        g.fill(new Polygon(new int[]{30, 120, 132, 40}, new int[]{262, 256, 318, 326}, 4));
        g.setColor(new Color(250, 200, 40));                       // pen
        g.setStroke(new BasicStroke(5, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(170, 300, 260, 285);
        g.setColor(new Color(180, 90, 50));                        // plant pot and leaves
        g.fill(new Polygon(new int[]{30, 80, 72, 38}, new int[]{180, 180, 232, 232}, 4));
        g.setColor(new Color(60, 150, 70));
        for (int k = 0; k < 5; k++) {
            g.fill(new Ellipse2D.Double(22 + k * 12, 110 + (k % 2) * 18, 18, 62));
        }
        g.setColor(new Color(70, 70, 80));                         // lamp
        g.setStroke(new BasicStroke(6, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(445, 232, 445, 120);
        g.drawLine(445, 120, 405, 80);
        g.fill(new Polygon(new int[]{385, 430, 410}, new int[]{70, 95, 55}, 3));
        g.dispose();
        return image;
    }

    /** A restaurant menu card: Italian dishes with prices. */
    static BufferedImage menu() {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        g.setColor(new Color(92, 58, 40));
        g.fillRect(0, 0, W, H);
        g.setColor(new Color(252, 246, 232));
        g.fill(new RoundRectangle2D.Double(40, 16, 400, 328, 12, 12));
        g.setColor(new Color(150, 30, 30));
        g.setFont(new Font(Font.SERIF, Font.BOLD, 30));
        center(g, "Trattoria Sole", 56);
        g.setFont(new Font(Font.SERIF, Font.ITALIC, 15));
        g.setColor(new Color(90, 90, 90));
        center(g, "Cucina italiana · Menu", 80);
        String[][] dishes = {
                {"Bruschetta al pomodoro", "6.50"}, {"Spaghetti alla carbonara", "12.00"},
                {"Risotto ai funghi porcini", "14.50"}, {"Pizza margherita", "9.00"},
                {"Lasagne alla bolognese", "13.00"}, {"Tiramisù", "6.00"}, {"Panna cotta", "5.50"}};
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 17));
        int y = 118;
        for (String[] d : dishes) {
            g.setColor(new Color(40, 30, 25));
            g.drawString(d[0], 70, y);
            String price = "€ " + d[1];
            g.drawString(price, 410 - g.getFontMetrics().stringWidth(price), y);
            y += 32;
        }
        g.dispose();
        return image;
    }

    /** Hills, a lake and an evening sky. */
    static BufferedImage landscape() {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        g.setPaint(new GradientPaint(0, 0, new Color(40, 70, 140), 0, 200, new Color(250, 170, 90)));
        g.fillRect(0, 0, W, 210);
        g.setColor(new Color(255, 220, 120));
        g.fill(new Ellipse2D.Double(300, 130, 60, 60));
        g.setColor(new Color(70, 90, 110));
        g.fill(new Polygon(new int[]{0, 90, 170, 260, 340, 420, 480, 480, 0},
                new int[]{190, 120, 170, 100, 160, 120, 170, 220, 220}, 9));
        g.setColor(new Color(50, 110, 60));
        g.fill(new Polygon(new int[]{0, 120, 240, 360, 480, 480, 0}, new int[]{230, 200, 225, 195, 225, 260, 260}, 7));
        g.setPaint(new GradientPaint(0, 250, new Color(90, 120, 170), 0, 360, new Color(40, 60, 100)));
        g.fillRect(0, 250, W, 110);
        g.setColor(new Color(255, 210, 130, 140));
        for (int k = 0; k < 6; k++) {
            g.fillRect(310 - k * 4, 262 + k * 14, 40 + k * 8, 3);
        }
        g.setColor(new Color(30, 70, 40));
        for (int x = 20; x < 200; x += 34) {
            g.fill(new Polygon(new int[]{x, x + 14, x + 28}, new int[]{252, 200 + (x % 3) * 6, 252}, 3));
        }
        g.dispose();
        return image;
    }

    /** A page of a coffee maker's manual: title, model, a drawing and numbered steps. */
    static BufferedImage manual() {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(new Color(30, 30, 30));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString("BrewMaster 300 Coffee Maker", 24, 40);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(90, 90, 90));
        g.drawString("Model BM-300 · User manual · page 4", 24, 60);
        g.setColor(new Color(200, 200, 200));
        g.drawLine(24, 70, 456, 70);
        g.setColor(new Color(30, 30, 30));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("First use", 24, 98);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        String[] steps = {"1. Fill the water tank to MAX.", "2. Insert a paper filter (size 4).",
                "3. Add 1 scoop of coffee per cup.", "4. Press the power button.", "5. Wait until the light turns green."};
        int y = 124;
        for (String s : steps) {
            g.drawString(s, 24, y);
            y += 26;
        }
        g.setColor(new Color(60, 60, 60));                        // the machine, line drawing
        g.setStroke(new BasicStroke(3));
        g.drawRoundRect(330, 100, 110, 170, 14, 14);
        g.drawRect(345, 120, 80, 40);
        g.drawOval(360, 200, 50, 50);
        g.drawLine(330, 290, 440, 290);
        g.setColor(new Color(40, 160, 70));
        g.fillOval(420, 110, 10, 10);
        g.setColor(new Color(90, 90, 90));
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
        g.drawString("Fig. 2  Front view", 345, 310);
        g.drawString("4", W - 30, H - 16);
        g.dispose();
        return image;
    }

    private static void center(Graphics2D g, String text, int y) {
        g.drawString(text, (W - g.getFontMetrics().stringWidth(text)) / 2, y);
    }

    private static void jpeg(BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.85f);
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
