package dev.glimpse.extension;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code image(..)}: every kind of source, and a clear message for every way loading fails. */
class ImageSourcesTest {

    @TempDir
    Path dir;

    @Test
    void loadsAFileByPathStringAndFile() {
        Path file = ExtensionFixtures.image("shapes_rgb.png");
        Image a = Vision.image(file.toString());
        Image b = Vision.image(file);
        Image c = Vision.image(file.toFile());
        assertEquals(60, a.width());
        assertEquals(45, a.height());
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), c.height());
        assertEquals(file.toString(), a.source());
        assertEquals("Image " + file + " (60×45)", a.toString());
    }

    @Test
    void missingFileNamesTheAbsolutePathAndWhereRelativePathsStart() {
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image("no-such-picture.png"));
        assertTrue(e.getMessage().startsWith("Image file not found: " + Path.of("no-such-picture.png").toAbsolutePath()),
                e.getMessage());
        assertTrue(e.getMessage().contains("relative paths start in the working directory"), e.getMessage());
    }

    @Test
    void aFolderIsNotAnImageAndAskAllIsSuggested() {
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image(dir));
        assertTrue(e.getMessage().contains("is a folder, not an image file"), e.getMessage());
        assertTrue(e.getMessage().contains("askAll("), e.getMessage());
    }

    @Test
    void aFileThatIsNotAnImageSaysWhatItIs() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "just some text", StandardCharsets.UTF_8);
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image(text));
        assertTrue(e.getMessage().contains("notes.png is not in a format Java can decode"), e.getMessage());
        assertTrue(e.getMessage().contains("Use PNG, JPEG"), e.getMessage());

        Path pdf = Files.writeString(dir.resolve("scan.jpg"), "%PDF-1.7 ...", StandardCharsets.ISO_8859_1);
        var p = assertThrows(IllegalArgumentException.class, () -> Vision.image(pdf));
        assertTrue(p.getMessage().contains("(it is a PDF)"), p.getMessage());
    }

    @Test
    void truncatedAndEmptyFilesAreNamed() throws IOException {
        byte[] png = Files.readAllBytes(ExtensionFixtures.image("shapes_rgb.png"));
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image(cut));
        assertTrue(e.getMessage().contains("cut.png is truncated"), e.getMessage());

        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        var z = assertThrows(IllegalArgumentException.class, () -> Vision.image(empty));
        assertTrue(z.getMessage().contains("empty.png is empty (0 bytes)"), z.getMessage());
    }

    @Test
    void bytesAndBufferedImages() throws IOException {
        byte[] png = Files.readAllBytes(ExtensionFixtures.image("badge_rgba.png"));
        Image fromBytes = Vision.image(png);
        assertEquals(png.length + " bytes", fromBytes.source());
        BufferedImage argb = new BufferedImage(7, 3, BufferedImage.TYPE_INT_ARGB); // transparent: onto white
        Image fromPixels = Vision.image(argb);
        assertEquals(BufferedImage.TYPE_INT_RGB, fromPixels.pixels().getType());
        assertEquals(0xFFFFFF, fromPixels.pixels().getRGB(3, 1) & 0xFFFFFF);
    }

    @Test
    void downloadsFromAUrlAndReportsHttpErrors() throws IOException {
        byte[] png = Files.readAllBytes(ExtensionFixtures.image("shapes_rgb.png"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/shapes.png", exchange -> {
            exchange.sendResponseHeaders(200, png.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(png);
            }
        });
        server.createContext("/missing.png", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Image image = Vision.image(base + "/shapes.png");
            assertEquals(60, image.width());
            assertEquals(base + "/shapes.png", image.source());
            var e = assertThrows(IllegalArgumentException.class, () -> Vision.image(base + "/missing.png"));
            assertTrue(e.getMessage().contains("the server answered HTTP 404"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "a machine with /dev/zero");
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image("/dev/zero"));
        assertEquals("/dev/zero is not a regular file but a device, pipe or socket, so image(..) does not read it. "
                + "Give the path of an image file (PNG, JPEG, GIF, BMP, TIFF).", e.getMessage());
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path huge = dir.resolve("huge.png");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(ImageSources.MAX_FILE_BYTES + 1); // sparse: takes no disk space
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image(huge));
        assertEquals("Image " + huge + " is 268 MB, more than the 256 MB image(..) reads from a file. Scale it down "
                + "or save it as JPEG or PNG first.", e.getMessage());
    }

    @Test
    void anUnsupportedUrlSchemeIsNamedWithTheSupportedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Vision.image("ftp://example.com/cat.png"));
        assertEquals("image(..) cannot read ftp: URLs (ftp://example.com/cat.png). It reads http:// and https:// "
                + "URLs, file: URLs and file paths; download the file and give its path.", e.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> Vision.image("data:image/png;base64,iVBORw0KGgo="));
        assertTrue(d.getMessage().startsWith("image(..) does not read data: URLs."), d.getMessage());
    }

    @Test
    void aFileUrlIsReadAsItsPath() {
        Path file = ExtensionFixtures.image("shapes_rgb.png").toAbsolutePath();
        assertEquals(60, Vision.image(file.toUri().toString()).width());
    }

    @Test
    void aFileUrlWithOneSlashIsReadAsItsPathToo() {
        Path file = ExtensionFixtures.image("shapes_rgb.png").toAbsolutePath();
        String oneSlash = file.toFile().toURI().toString(); // what File.toURI() writes: file:/abs/...
        assertTrue(oneSlash.startsWith("file:/") && !oneSlash.startsWith("file://"), oneSlash);
        assertEquals(60, Vision.image(oneSlash).width());
        assertEquals(60, Vision.image("file://" + file).width());
        assertEquals(60, Vision.image("FILE:" + file).width());
    }

    @Test
    void aRedirectLoopIsCalledOne() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/loop.png", exchange -> {
            exchange.getResponseHeaders().add("Location", "/loop.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/loop.png";
            var e = assertThrows(IllegalArgumentException.class, () -> Vision.image(url));
            assertEquals("Cannot download image " + url + ": too many redirects (a redirect loop?): still redirected "
                    + "after 5, the last time to " + url + ". Check the address in a browser, or download the file "
                    + "and give its path.", e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void thumbnailsAreScaledDownNeverUp() {
        Image small = Vision.image(new BufferedImage(60, 45, BufferedImage.TYPE_INT_RGB));
        assertEquals(60, small.thumbnail().getWidth());
        Image large = Vision.image(new BufferedImage(1200, 600, BufferedImage.TYPE_INT_RGB));
        assertEquals(Image.THUMBNAIL_SIDE, large.thumbnail().getWidth());
        assertEquals(Image.THUMBNAIL_SIDE / 2, large.thumbnail().getHeight());
    }
}
