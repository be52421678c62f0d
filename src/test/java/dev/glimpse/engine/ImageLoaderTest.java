package dev.glimpse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class ImageLoaderTest {

    @TempDir
    Path dir;

    private final ImageLoader loader = new ImageLoader();

    private Path png(String name, BufferedImage image) throws IOException {
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static int[] rgbAt(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }

    @Test
    void rgbPngLoadsUnchanged() throws IOException {
        BufferedImage src = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                src.setRGB(x, y, (x * 50) << 16 | (y * 100) << 8 | 7);
            }
        }
        ImageInput in = loader.load(png("rgb.png", src));
        assertEquals(BufferedImage.TYPE_INT_RGB, in.image().getType());
        assertEquals(5, in.width());
        assertEquals(3, in.height());
        assertTrue(in.source().endsWith("rgb.png"));
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(src.getRGB(x, y), in.image().getRGB(x, y));
            }
        }
    }

    @Test
    void greyIsReplicatedWithoutGammaConversion() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        grey.getRaster().setSample(1, 0, 0, 30);
        BufferedImage rgb = loader.load(png("grey.png", grey)).image();
        assertEquals("[128, 128, 128]", Arrays.toString(rgbAt(rgb, 0, 0)));
        assertEquals("[30, 30, 30]", Arrays.toString(rgbAt(rgb, 1, 0)));

        BufferedImage deep = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 0x80FF);
        assertEquals("[128, 128, 128]", Arrays.toString(rgbAt(loader.fromImage(deep, "deep").image(), 0, 0)));
    }

    @Test
    void paletteAndTransparencyCompositeOnWhite() throws IOException {
        byte[] r = {(byte) 200, 0, 10};
        byte[] g = {0, 0, 20};
        byte[] b = {0, (byte) 255, 30};
        byte[] a = {(byte) 255, 0, (byte) 128};
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 3, r, g, b, a));
        for (int x = 0; x < 3; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        BufferedImage rgb = loader.load(png("palette.png", indexed)).image();
        assertEquals("[200, 0, 0]", Arrays.toString(rgbAt(rgb, 0, 0)), "opaque entry");
        assertEquals("[255, 255, 255]", Arrays.toString(rgbAt(rgb, 1, 0)), "transparent entry becomes white");
        // half-transparent (10, 20, 30) over white: 255 - (255 - c) * 128 / 255, rounded
        assertEquals("[132, 137, 142]", Arrays.toString(rgbAt(rgb, 2, 0)));

        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00123456);
        assertEquals("[255, 255, 255]", Arrays.toString(rgbAt(loader.fromImage(argb, "argb").image(), 0, 0)));
    }

    @Test
    void rgbInMemoryIsNotCopied() {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        assertSame(rgb, loader.fromImage(rgb, "mem").image());
    }

    /**
     * Four flat 8×8 ink patches: cyan, black, no ink, half black. Stored as Adobe does: inverted CMYK, or for YCCK
     * the JFIF YCbCr of the C, M, Y ink amounts and inverted K (the writer does no colour conversion of a raster).
     */
    private static WritableRaster inkPatches(boolean ycck) {
        int[][] inks = {{255, 0, 0, 0}, {0, 0, 0, 255}, {0, 0, 0, 0}, {0, 0, 0, 128}};
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 8, 4, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 32; x++) {
                int[] ink = inks[x / 8];
                int[] stored = {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
                if (ycck) {
                    double c = ink[0];
                    double m = ink[1];
                    double yel = ink[2];
                    stored[0] = byteOf(0.299 * c + 0.587 * m + 0.114 * yel);
                    stored[1] = byteOf(128 - 0.168736 * c - 0.331264 * m + 0.5 * yel);
                    stored[2] = byteOf(128 + 0.5 * c - 0.418688 * m - 0.081312 * yel);
                }
                r.setPixel(x, y, stored);
            }
        }
        return r;
    }

    private static int byteOf(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private Path cmykJpeg(String name, Integer adobeTransform) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1f);
        IIOMetadata metadata = null;
        if (adobeTransform != null) {
            metadata = writer.getDefaultImageMetadata(
                    new ImageTypeSpecifier(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)), param);
            String format = "javax_imageio_jpeg_image_1.0";
            Element root = (Element) metadata.getAsTree(format);
            Element variety = (Element) root.getElementsByTagName("JPEGvariety").item(0);
            while (variety.hasChildNodes()) {
                variety.removeChild(variety.getFirstChild());
            }
            Element markers = (Element) root.getElementsByTagName("markerSequence").item(0);
            IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
            adobe.setAttribute("version", "100");
            adobe.setAttribute("flags0", "0");
            adobe.setAttribute("flags1", "0");
            adobe.setAttribute("transform", adobeTransform.toString());
            markers.insertBefore(adobe, markers.getFirstChild());
            Element sof = (Element) root.getElementsByTagName("sof").item(0);
            sof.setAttribute("numFrameComponents", "4");
            for (int i = 0; i < 3; i++) {
                Element spec = (Element) sof.getElementsByTagName("componentSpec").item(i);
                spec.setAttribute("HsamplingFactor", "1");
                spec.setAttribute("VsamplingFactor", "1");
            }
            IIOMetadataNode k = new IIOMetadataNode("componentSpec");
            k.setAttribute("componentId", "4");
            k.setAttribute("HsamplingFactor", "1");
            k.setAttribute("VsamplingFactor", "1");
            k.setAttribute("QtableSelector", "0");
            sof.appendChild(k);
            Element sos = (Element) root.getElementsByTagName("sos").item(0);
            sos.setAttribute("numScanComponents", "4");
            IIOMetadataNode kScan = new IIOMetadataNode("scanComponentSpec");
            kScan.setAttribute("componentSelector", "4");
            kScan.setAttribute("dcHuffTable", "0");
            kScan.setAttribute("acHuffTable", "0");
            sos.appendChild(kScan);
            metadata.setFromTree(format, root);
        }
        Path file = dir.resolve(name);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(inkPatches(Integer.valueOf(2).equals(adobeTransform)), null, metadata),
                    param);
        } finally {
            writer.dispose();
        }
        return file;
    }

    @Test
    void cmykJpegsBecomeRgb() throws IOException {
        // plain CMYK (no Adobe marker), Adobe CMYK (transform 0) and Adobe YCCK (transform 2)
        for (Integer transform : new Integer[] {null, 0, 2}) {
            BufferedImage rgb = loader.load(cmykJpeg("cmyk-" + transform + ".jpg", transform)).image();
            int[][] expected = {{0, 255, 255}, {0, 0, 0}, {255, 255, 255}, {127, 127, 127}};
            for (int patch = 0; patch < 4; patch++) {
                int[] got = rgbAt(rgb, patch * 8 + 4, 4);
                for (int c = 0; c < 3; c++) {
                    assertTrue(Math.abs(got[c] - expected[patch][c]) <= 3, "transform " + transform + ", patch "
                            + patch + ": " + Arrays.toString(got) + " vs " + Arrays.toString(expected[patch]));
                }
            }
        }
    }

    @Test
    void notAnImage() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "These are my notes, not a picture.\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(text));
        assertEquals("Image " + text + " is not in a format Java can decode. Use PNG, JPEG, GIF, BMP or TIFF.",
                e.getMessage());
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 xxxxxxxxxxxxxxxx".getBytes(StandardCharsets.ISO_8859_1);
        e = assertThrows(IllegalArgumentException.class, () -> loader.load(webp, "cat.webp"));
        assertEquals("Image cat.webp is not in a format Java can decode (it is WebP). Use PNG, JPEG, GIF, BMP or "
                + "TIFF.", e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(empty));
        assertEquals("Image " + empty + " is empty (0 bytes).", e.getMessage());
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("missing.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(missing));
        assertEquals("Image file not found: " + missing, e.getMessage());
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return img;
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] full = Files.readAllBytes(png("full.png", noise(64, 64)));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(cut, "cut.png"));
        assertTrue(e.getMessage().startsWith("Image cut.png is truncated"), e.getMessage());
    }

    @Test
    void truncatedJpeg() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(noise(64, 64), "jpeg", out);
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(cut, "cut.jpg"));
        assertTrue(e.getMessage().startsWith("Image cut.jpg is truncated"), e.getMessage());
    }

    @Test
    void pixelLimitIsCheckedFromTheHeader() throws IOException {
        ImageLoader small = new ImageLoader(5000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small.load(png("big.png", noise(100, 60))));
        assertTrue(e.getMessage().startsWith("Image " + dir.resolve("big.png") + " is 100×60 = 0.0 megapixels, over "
                + "the limit of 0.0 megapixels."), e.getMessage());
        // a header claiming 100000 × 100000 pixels with no image data: refused without decoding
        e = assertThrows(IllegalArgumentException.class, () -> loader.load(pngHeaderOnly(100_000, 100_000), "bomb"));
        assertEquals("Image bomb is 100000×100000 = 10000.0 megapixels, over the limit of 50.0 megapixels. Scale it "
                + "down first, or raise the limit with new ImageLoader(maxPixels).", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> small.fromImage(noise(100, 60), "mem"));
    }

    // PNG signature + IHDR chunk (8-bit RGB) and nothing else
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13);
        int crcStart = b.position();
        b.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), crcStart, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }
}
