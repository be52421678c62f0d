package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageRenderingTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    private final Renderer renderer = new Renderer();

    @TempDir
    Path dir;

    ImageRenderingTest() {
        DisplayRenderers.registerDefaults(renderer);
    }

    private static BufferedImage gradient(int type) {
        BufferedImage image = new BufferedImage(4, 3, type);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, 0x80000000 | (x * 60) << 16 | (y * 80) << 8 | 0x40);
            }
        }
        return image;
    }

    private static byte[] decode(DisplayData data, MIMEType type) {
        Object value = data.getData(type);
        assertNotNull(value, "no " + type + " in the bundle");
        return Base64.getDecoder().decode((String) value);
    }

    private static void assertStartsWith(byte[] magic, byte[] bytes) {
        assertArrayEquals(magic, Arrays.copyOf(bytes, magic.length));
    }

    @Test
    void bufferedImageRendersAsPngWithItsSize() throws IOException {
        DisplayData data = renderer.render(gradient(BufferedImage.TYPE_INT_RGB));
        byte[] png = decode(data, MIMEType.IMAGE_PNG);
        assertStartsWith(PNG_MAGIC, png);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(4, back.getWidth());
        assertEquals(3, back.getHeight());
        assertEquals(gradient(BufferedImage.TYPE_INT_RGB).getRGB(2, 1), back.getRGB(2, 1));
        assertEquals("BufferedImage 4x3", data.getData(MIMEType.TEXT_PLAIN));
        assertNull(data.getData(MIMEType.IMAGE_JPEG));
    }

    @Test
    void imageWithAlphaStillEncodesAsJpegWhenAsked() {
        DisplayData data = renderer.renderAs(gradient(BufferedImage.TYPE_INT_ARGB), "image/jpeg");
        assertStartsWith(JPEG_MAGIC, decode(data, MIMEType.IMAGE_JPEG));
        assertEquals("BufferedImage 4x3", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void pngPathSendsTheFileBytes() throws IOException {
        Path file = dir.resolve("cat.png");
        ImageIO.write(gradient(BufferedImage.TYPE_INT_RGB), "png", file.toFile());
        DisplayData data = renderer.render(file);
        assertArrayEquals(Files.readAllBytes(file), decode(data, MIMEType.IMAGE_PNG));
        assertEquals(file.toString(), data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void askingForTextOnlyDoesNotReadTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("cat.png"), "not an image: reading it would add a note");
        DisplayData data = renderer.renderAs(file, "text/plain");
        assertEquals(file.toString(), data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void misnamedFileGetsTheMimeTypeOfItsContent() throws IOException {
        Path file = dir.resolve("really-a-jpeg.PNG");
        ImageIO.write(gradient(BufferedImage.TYPE_INT_RGB), "jpeg", file.toFile());
        DisplayData data = renderer.render(file);
        assertStartsWith(JPEG_MAGIC, decode(data, MIMEType.IMAGE_JPEG));
        assertNull(data.getData(MIMEType.IMAGE_PNG));
    }

    @Test
    void gifFileObjectRendersAsGif() throws IOException {
        File file = dir.resolve("anim.gif").toFile();
        ImageIO.write(gradient(BufferedImage.TYPE_INT_RGB), "gif", file);
        DisplayData data = renderer.render(file);
        byte[] gif = decode(data, MIMEType.IMAGE_GIF);
        assertEquals("GIF8", new String(gif, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(file.toString(), data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void svgFileRendersAsSvgMarkup() throws IOException {
        Path file = dir.resolve("logo.svg");
        Files.writeString(file, "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"2\"/></svg>");
        DisplayData data = renderer.render(file);
        assertEquals(Files.readString(file), data.getData(MIMEType.IMAGE_SVG));
    }

    @Test
    void otherPathsRenderAsTheirPathOnly() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        DisplayData data = renderer.render(text);
        assertEquals(text.toString(), data.getData(MIMEType.TEXT_PLAIN));
        assertNull(data.getData(MIMEType.IMAGE_PNG));

        Path missing = dir.resolve("missing.png");
        assertEquals(missing.toString(), renderer.render(missing).getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void imageNamedFileWithOtherContentSaysSo() throws IOException {
        Path fake = Files.writeString(dir.resolve("fake.jpg"), "not an image");
        DisplayData data = renderer.render(fake);
        assertNull(data.getData(MIMEType.IMAGE_JPEG));
        assertTrue(((String) data.getData(MIMEType.TEXT_PLAIN)).contains("not a PNG, JPEG, GIF or SVG image"));
    }
}
