package dev.glimpse.engine;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes images into 8-bit RGB {@link ImageInput}s the way vision-language models expect them: grey images are
 * replicated to three channels, palettes are looked up, CMYK JPEGs are converted, and transparency is composited
 * onto white (as transformers' {@code convert_to_rgb} does, with Pillow's integer arithmetic). Colour profiles are
 * ignored, as Pillow ignores them.
 *
 * <p>Every failure names the image and the fix: not an image, empty, truncated, or larger than the pixel limit
 * (checked from the header, before the pixels are decoded).
 */
public final class ImageLoader {

    /** Default limit on width × height: 50 megapixels, far above what GLM-4V uses (it resizes to ≤ 9.6 MP). */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private final long maxPixels;

    /** A loader with the {@link #DEFAULT_MAX_PIXELS default pixel limit}. */
    public ImageLoader() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A loader that refuses images with more than {@code maxPixels} pixels. */
    public ImageLoader(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** The pixel limit. */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * An image's size as its header states it.
     *
     * @param width  in pixels
     * @param height in pixels
     */
    public record Size(int width, int height) {
        /** Width × height. */
        public long pixels() {
            return (long) width * height;
        }
    }

    /**
     * Reads an encoded image's width and height from its header, decoding no pixels: to refuse what cannot fit
     * before paying for it. Does not apply the pixel limit.
     *
     * @throws IllegalArgumentException when the bytes are not an image Java can decode or the header is damaged
     */
    public Size size(byte[] bytes, String source) {
        try {
            return withReader(bytes, source, true, reader -> new Size(reader.getWidth(0), reader.getHeight(0)));
        } catch (IOException | IndexOutOfBoundsException | IllegalStateException e) {
            throw truncatedOrCorrupt(source, rethrowOutOfMemory(e));
        }
    }

    private interface ReaderUse<T> {
        T apply(ImageReader reader) throws IOException;
    }

    // the reader for the bytes' format, on an in-memory stream (ImageIO's default would cache the bytes in a
    // temporary file); disposed afterwards
    private static <T> T withReader(byte[] bytes, String source, boolean headerOnly, ReaderUse<T> use)
            throws IOException {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("Image " + source + " is empty (0 bytes).");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("Image " + source + " is not in a format Java can decode"
                        + describe(bytes) + ". Use PNG, JPEG, GIF, BMP or TIFF.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, headerOnly);
                return use.apply(reader);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Decodes an image file. */
    public ImageInput load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Image file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image " + file + ": " + e.getMessage(), e);
        }
        return load(bytes, file.toString());
    }

    /**
     * Decodes an encoded image (PNG, JPEG, GIF, BMP or TIFF).
     *
     * @param source names the image in messages, e.g. a file name or URL
     * @throws IllegalArgumentException when the bytes are not an image, truncated or over the pixel limit
     * @throws OutOfMemoryError         when the heap cannot hold the decoded image, also where the decoder reports
     *                                  it as a read error
     */
    public ImageInput load(byte[] bytes, String source) {
        try {
            return withReader(bytes, source, false, reader -> {
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                checkPixels(source, reader.getWidth(0), reader.getHeight(0), pixels);
                BufferedImage image = decode(reader);
                for (String w : warnings) {
                    if (w.toLowerCase(Locale.ROOT).contains("premature end")) {
                        throw truncated(source, w);
                    }
                }
                return new ImageInput(source, toRgb(image));
            });
        } catch (IIOException e) {
            throw truncatedOrCorrupt(source, rethrowOutOfMemory(e));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image " + source + ": " + e.getMessage(),
                    rethrowOutOfMemory(e));
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            // some decoders fail this way on cut-off data
            throw truncatedOrCorrupt(source, rethrowOutOfMemory(e));
        }
    }

    // ImageIO's PNG reader reports any Throwable, running out of memory included, as a read error: that is no
    // fault of the image, and whoever decodes must learn that memory ran out, not that the image is corrupt
    private static <E extends Exception> E rethrowOutOfMemory(E failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                throw oom; // nothing added to it: the JVM may share one instance, and memory is short
            }
        }
        return failure;
    }

    /** Wraps an image already in memory, converting it to 8-bit RGB and checking the pixel limit. */
    public ImageInput fromImage(BufferedImage image, String source) {
        checkPixels(source, image.getWidth(), image.getHeight(), (long) image.getWidth() * image.getHeight());
        return new ImageInput(source, toRgb(image));
    }

    /**
     * The image as {@link BufferedImage#TYPE_INT_RGB}: grey replicated, palettes looked up, transparency composited
     * onto white with Pillow's arithmetic, CMYK converted as Pillow does, 16-bit samples reduced to their high
     * byte. Returns the image itself
     * when it already is {@code TYPE_INT_RGB}.
     */
    public static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK && raster.getNumBands() == 4
                && cm.getComponentSize(0) == 8) {
            return cmykToRgb(raster);
        }
        if (cm instanceof IndexColorModel icm) {
            fromPalette(icm, raster, rgb, w, h);
        } else if (isPlainComponents(cm, raster)) {
            fromComponents(cm, raster, rgb, w, h);
        } else {
            // packed or unusual models: let Java2D produce sRGB ARGB, then composite
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    rgb[y * w + x] = onWhite((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, p >>> 24);
                }
            }
        }
        return out;
    }

    /** Converts a raster of 8-bit CMYK ink amounts (255 = full ink) to RGB with Pillow's arithmetic. */
    static BufferedImage cmykToRgb(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int[] px = new int[4 * w];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = cmykPixel(px[4 * x], px[4 * x + 1], px[4 * x + 2], px[4 * x + 3]);
            }
        }
        return out;
    }

    // Pillow's cmyk2rgb: each channel is (255 − k) − round((255 − k) · ink / 255)
    private static int cmykPixel(int c, int m, int y, int k) {
        int nk = 255 - k;
        return (clamp8(nk - mulDiv255(c, nk)) << 16) | (clamp8(nk - mulDiv255(m, nk)) << 8)
                | clamp8(nk - mulDiv255(y, nk));
    }

    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static BufferedImage decode(ImageReader reader) throws IOException {
        BufferedImage image = reader.read(0);
        // Java decodes CMYK and YCCK JPEGs to CMYK ink amounts, assuming Adobe's inverted storage as Pillow does,
        // but its own conversion to RGB goes through a colour profile; convert with Pillow's arithmetic instead
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK && image.getRaster().getNumBands() == 4) {
            return cmykToRgb(image.getRaster());
        }
        return image;
    }

    private static void fromPalette(IndexColorModel icm, Raster raster, int[] rgb, int w, int h) {
        int size = icm.getMapSize();
        int[] lut = new int[size];
        for (int i = 0; i < size; i++) {
            lut[i] = onWhite(icm.getRed(i), icm.getGreen(i), icm.getBlue(i), icm.getAlpha(i));
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int index = row[x];
                rgb[y * w + x] = index < size ? lut[index] : 0;
            }
        }
    }

    // grey or RGB samples, with or without alpha, 8 or 16 bits, as the file stored them
    private static boolean isPlainComponents(ColorModel cm, Raster raster) {
        int type = cm.getColorSpace().getType();
        int colors = cm.getNumColorComponents();
        boolean layout = (type == ColorSpace.TYPE_GRAY && colors == 1) || (type == ColorSpace.TYPE_RGB && colors == 3);
        return layout && raster.getNumBands() == cm.getNumComponents() && !(cm instanceof IndexColorModel)
                && cm.getComponentSize(0) <= 16 && raster.getSampleModel().getNumBands() == raster.getNumBands()
                && !(cm instanceof java.awt.image.DirectColorModel);
    }

    private static void fromComponents(ColorModel cm, Raster raster, int[] rgb, int w, int h) {
        int bands = raster.getNumBands();
        boolean grey = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        int shift = Math.max(0, cm.getComponentSize(0) - 8);
        int[] px = new int[bands * w];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                int o = x * bands;
                int r = px[o] >> shift;
                int g = grey ? r : px[o + 1] >> shift;
                int b = grey ? r : px[o + 2] >> shift;
                int a = alpha ? px[o + bands - 1] >> shift : 255;
                if (premultiplied && a > 0 && a < 255) {
                    r = Math.min(255, r * 255 / a);
                    g = Math.min(255, g * 255 / a);
                    b = Math.min(255, b * 255 / a);
                }
                rgb[y * w + x] = onWhite(r, g, b, a);
            }
        }
    }

    // Pillow's alpha_composite of (r, g, b, a) over opaque white, reduced to integer arithmetic
    private static int onWhite(int r, int g, int b, int a) {
        if (a == 255) {
            return (r << 16) | (g << 8) | b;
        }
        return (blendOnWhite(r, a) << 16) | (blendOnWhite(g, a) << 8) | blendOnWhite(b, a);
    }

    private static int blendOnWhite(int c, int a) {
        int t = 128 * (c * a + 255 * (255 - a)) + 16384;
        return (((t >> 8) + t) >> 8) >> 7;
    }

    private static int clamp8(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    private void checkPixels(String source, int width, int height, long pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image " + source + " has no pixels (" + width + "×" + height + ").");
        }
        if (pixels > maxPixels) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "Image %s is %d×%d = %.1f megapixels, over "
                    + "the limit of %.1f megapixels. Scale it down first, or raise the limit with new ImageLoader"
                    + "(maxPixels).", source, width, height, pixels / 1e6, maxPixels / 1e6));
        }
    }

    private static IllegalArgumentException truncatedOrCorrupt(String source, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof EOFException) {
            return truncated(source, "the data ends early");
        }
        return new IllegalArgumentException("Image " + source + " is truncated or corrupt (" + e.getMessage()
                + "). Re-save or download it again.", e);
    }

    private static IllegalArgumentException truncated(String source, String detail) {
        return new IllegalArgumentException("Image " + source + " is truncated (" + detail + "). Download or "
                + "save it again.");
    }

    // a hint for formats people commonly have but Java cannot decode
    private static String describe(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1);
        if (head.startsWith("RIFF") && head.startsWith("WEBP", 8)) {
            return " (it is WebP)";
        }
        if (head.length() >= 12 && head.startsWith("ftyp", 4)) {
            return " (it is HEIC/AVIF)";
        }
        if (head.startsWith("%PDF")) {
            return " (it is a PDF)";
        }
        String text = head.stripLeading().toLowerCase(Locale.ROOT);
        if (text.startsWith("<svg") || text.startsWith("<?xml")) {
            return " (it is SVG or XML)";
        }
        return "";
    }
}
