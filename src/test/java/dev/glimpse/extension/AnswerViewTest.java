package dev.glimpse.extension;

import dev.glimpse.engine.Box;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Timings;
import dev.glimpse.engine.Usage;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an answer shows: the bundle's MIME types, boxes drawn at the right pixels, text, reasoning, timings. */
class AnswerViewTest {

    private static final ModelInfo MODEL = new ModelInfo("glimpse-tiny", "/models/glimpse-tiny", "cpu()", "float32",
            1000, 4000, 900);
    private static final Timings TIMINGS = new Timings(5, 40, 60, List.of(40.0, 40.0, 40.0, 40.0, 40.0), 180);
    private static final int RED = BoxPainter.COLORS[0].getRGB() & 0xFFFFFF;
    private static final int BLUE = BoxPainter.COLORS[1].getRGB() & 0xFFFFFF;

    private static dev.glimpse.engine.Answer raw(String text, String reasoning, List<Box> boxes, FinishReason reason) {
        return new dev.glimpse.engine.Answer(text, reasoning, boxes, new Usage(74, 6), TIMINGS, reason, List.of());
    }

    private static Image white(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return Vision.image(image);
    }

    private static BufferedImage png(Bundle bundle) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.get(Bundle.PNG))));
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void timingLineReadsLikeTheSpecification() {
        Answer a = Answer.of(raw("A circle.", "", List.of(), FinishReason.STOP), "What?", List.of(), MODEL);
        assertEquals("glimpse-tiny · cpu · 74 prompt + 6 answer tokens · vision 40 ms · prefill 60 ms · 25 tok/s · "
                + "180 ms", TimingLine.of(a));
        assertEquals("gpu 0", TimingLine.device(new ModelInfo("m", "s", "gpu(0)", "float16", 0, 0, 0)));
        assertEquals("1.8 s", TimingLine.duration(1800));
        assertEquals("2 min 5 s", TimingLine.duration(125_000));
        assertEquals("0 ms", TimingLine.duration(0.4));
        assertEquals("1000 ms", TimingLine.duration(999.6));
        assertEquals("1.0 s", TimingLine.duration(1000));
        assertEquals("60.0 s", TimingLine.duration(59_960));
    }

    @Test
    void anImageIsEncodedOnceForItsOwnDisplayAndEveryAnswerWithoutBoxes() throws IOException {
        Image image = white(200, 100);
        String shown = ImageView.bundle(image).get(Bundle.PNG);
        Answer plain = Answer.of(raw("A white field.", "", List.of(), FinishReason.STOP), "What?", List.of(image),
                MODEL);
        assertSame(shown, AnswerView.bundle(plain).get(Bundle.PNG), "the thumbnail's bytes, not a new encoding");
        assertTrue(AnswerView.bundle(plain).get(Bundle.HTML).contains(shown), "the layout shows the same picture");

        Answer boxed = Answer.of(raw("<|begin_of_box|>[100,200,500,800]<|end_of_box|>", "",
                List.of(new Box(100, 200, 500, 800)), FinishReason.STOP), "Where?", List.of(image), MODEL);
        String drawn = AnswerView.bundle(boxed).get(Bundle.PNG);
        assertNotEquals(shown, drawn, "boxes are drawn on a fresh picture");
        assertEquals(RED, rgb(png(AnswerView.bundle(boxed)), 20, 50));
        assertEquals(0xFFFFFF, rgb(png(AnswerView.bundle(plain)), 20, 50), "the cached thumbnail stays unboxed");
    }

    @Test
    void bundleHasEveryMimeTypeAndTheBoxesAtTheirPixels() throws IOException {
        // box [100,200,500,800] on 200×100 is x 20..100, y 20..80 (value × side / 1000)
        String text = "The square is here <|begin_of_box|>[100,200,500,800]<|end_of_box|>.";
        Answer a = Answer.of(raw(text, "", List.of(new Box(100, 200, 500, 800)), FinishReason.STOP),
                "Where is the square?", List.of(white(200, 100)), MODEL);
        Bundle bundle = AnswerView.bundle(a);
        assertEquals(List.of(Bundle.PNG, Bundle.HTML, Bundle.MARKDOWN, Bundle.PLAIN),
                List.copyOf(bundle.data().keySet()));
        BufferedImage picture = png(bundle);
        assertEquals(200, picture.getWidth());
        assertEquals(100, picture.getHeight());
        assertEquals(RED, rgb(picture, 20, 50), "left edge");
        assertEquals(RED, rgb(picture, 100, 50), "right edge");
        assertEquals(RED, rgb(picture, 60, 20), "top edge");
        assertEquals(RED, rgb(picture, 60, 80), "bottom edge");
        assertEquals(0xFFFFFF, rgb(picture, 60, 50), "inside");
        assertEquals(0xFFFFFF, rgb(picture, 10, 50), "outside left");
        assertEquals(0xFFFFFF, rgb(picture, 110, 50), "outside right");
        assertEquals(0xFFFFFF, rgb(picture, 60, 90), "outside below");
    }

    @Test
    void boxesScaleWithTheThumbnailOfALargeImage() throws IOException {
        // 1000×500 shows as 480×240; box [100,200,500,800] there is x 48..240, y 48..192
        Answer a = Answer.of(raw("<|begin_of_box|>[100,200,500,800]<|end_of_box|>", "",
                        List.of(new Box(100, 200, 500, 800), new Box(600, 100, 900, 300)), FinishReason.STOP),
                "Find it", List.of(white(1000, 500)), MODEL);
        BufferedImage picture = png(AnswerView.bundle(a));
        assertEquals(480, picture.getWidth());
        assertEquals(240, picture.getHeight());
        assertEquals(RED, rgb(picture, 48, 120));
        assertEquals(RED, rgb(picture, 240, 120));
        assertEquals(0xFFFFFF, rgb(picture, 150, 120));
        assertEquals(BLUE, rgb(picture, 432, 50), "second box, right edge x = 900 × 480 / 1000");
    }

    @Test
    void severalImagesShowSideBySide() throws IOException {
        Answer a = Answer.of(raw("Two.", "", List.of(), FinishReason.STOP), "How many?",
                List.of(white(60, 40), white(30, 50)), MODEL);
        BufferedImage picture = png(AnswerView.bundle(a));
        assertEquals(60 + AnswerView.GAP + 30, picture.getWidth());
        assertEquals(50, picture.getHeight());
    }

    @Test
    void thirtyLargeImagesMakeAStripOfBoundedWidth() throws IOException {
        // 30 × 480 px thumbnails side by side were 14,632 px wide: seconds to draw and encode for every update
        Answer a = Answer.of(raw("Thirty.", "", List.of(), FinishReason.STOP), "How many?",
                java.util.Collections.nCopies(30, white(4000, 3000)), MODEL);
        BufferedImage picture = png(AnswerView.bundle(a));
        assertTrue(picture.getWidth() <= AnswerView.STRIP_MAX_WIDTH, picture.getWidth() + " px wide");
        assertTrue(picture.getWidth() > AnswerView.STRIP_MAX_WIDTH - 30, "the width is used: " + picture.getWidth());
        assertTrue(picture.getHeight() >= 40, "each image stays recognisable: " + picture.getHeight() + " px high");
    }

    @Test
    void textShowsBoxNumbersMarkdownAndFoldedReasoning() {
        String text = "**Two** shapes: <|begin_of_box|>[[1,2,3,4],[5,6,7,8]]<|end_of_box|> <script>x</script>";
        Answer a = Answer.of(raw(text, "Count the shapes first.", List.of(new Box(1, 2, 3, 4), new Box(5, 6, 7, 8)),
                FinishReason.STOP), "What is here?", List.of(white(20, 20)), MODEL);
        Bundle bundle = AnswerView.bundle(a);
        String md = bundle.get(Bundle.MARKDOWN);
        assertTrue(md.startsWith("**Q:** What is here?\n\n**Two** shapes: **[1]****[2]** <script>"), md);
        assertTrue(md.contains("<details><summary>Reasoning</summary>\n\nCount the shapes first.\n\n</details>"), md);
        assertTrue(md.endsWith("*glimpse-tiny · cpu · 74 prompt + 6 answer tokens · vision 40 ms · prefill 60 ms · "
                + "25 tok/s · 180 ms*"), md);
        String html = bundle.get(Bundle.HTML);
        assertTrue(html.contains("<strong>Two</strong> shapes:"), html);
        assertTrue(html.contains("<b style=\"color:#e6194b\">[1]</b><b style=\"color:#0082c8\">[2]</b>"), html);
        assertTrue(html.contains("&lt;script&gt;x&lt;/script&gt;"), "model HTML is escaped: " + html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<details><summary"), html);
        assertTrue(html.contains("Count the shapes first."), html);
        assertTrue(html.contains("<img src=\"data:image/png;base64,"), html);
        String plain = bundle.get(Bundle.PLAIN);
        assertTrue(plain.contains("A: **Two** shapes: [1][2]"), plain);
        assertTrue(plain.contains("Boxes (0–1000): 1 (1, 2)–(3, 4) · 2 (5, 6)–(7, 8)"), plain);
    }

    @Test
    void interruptedAndTruncatedAnswersAreMarked() {
        Answer stopped = Answer.of(raw("A partial", "", List.of(), FinishReason.CANCELLED), "Describe", List.of(),
                MODEL);
        Bundle bundle = AnswerView.bundle(stopped);
        assertTrue(stopped.interrupted());
        assertTrue(bundle.get(Bundle.PLAIN).contains("⏹ Interrupted after 6 tokens: the answer is partial."));
        assertTrue(bundle.get(Bundle.HTML).contains("Interrupted after 6 tokens"));
        assertNull(bundle.get(Bundle.PNG), "no images, no picture");
        Answer cut = Answer.of(raw("A long", "", List.of(), FinishReason.LENGTH), "Describe", List.of(), MODEL);
        assertTrue(AnswerView.bundle(cut).get(Bundle.MARKDOWN).contains("options().maxTokens(n)"));
    }

    @Test
    void streamingSnapshotsShowACursorAndOpenReasoning() {
        AnswerView.Snapshot thinking = new AnswerView.Snapshot("Q?", List.of(), "", "Let me see", List.of(),
                AnswerView.Phase.STREAMING, "m · generating… 3 tokens · 1.0 s");
        String md = AnswerView.markdown(thinking, 3);
        assertTrue(md.contains("<details open><summary>Reasoning</summary>\n\nLet me see ▍"), md);
        AnswerView.Snapshot half = new AnswerView.Snapshot("Q?", List.of(), "It is <|begin_of_box|>[1,2", "",
                List.of(), AnswerView.Phase.STREAMING, "m");
        assertTrue(AnswerView.plain(half, 5).contains("A: It is […] ▍"), AnswerView.plain(half, 5));
    }

    @Test
    void theRegisteredRendererGivesTheBundleAndTheStreamedDisplayId() {
        Renderer renderer = new Renderer();
        VisionExtension.register(renderer);
        Answer streamed = new Answer(raw("Yes.", "", List.of(), FinishReason.STOP), "Is it?",
                List.of(white(10, 10)), MODEL, "display-7");
        DisplayData data = renderer.render(streamed);
        assertTrue(data.hasDataForType(MIMEType.IMAGE_PNG));
        assertTrue(data.hasDataForType(MIMEType.TEXT_MARKDOWN));
        assertTrue(data.hasDataForType(MIMEType.TEXT_HTML));
        assertEquals("display-7", data.getDisplayId());
        DisplayData image = renderer.render(white(10, 10));
        assertTrue(image.hasDataForType(MIMEType.IMAGE_PNG));
        assertNotEquals(null, image.getData(MIMEType.TEXT_PLAIN));
    }
}
