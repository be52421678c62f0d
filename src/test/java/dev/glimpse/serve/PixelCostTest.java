package dev.glimpse.serve;

import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.glm4v.Glm4vImageProcessor;
import dev.glimpse.engine.glm4v.PreprocessorConfig;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the heap-derived default limits rest on: decoding an image as the server does ({@link ImageLoader}) and
 * preprocessing it for GLM-4.6V ({@link Glm4vImageProcessor} at the model's pixel bounds) allocate at most
 * {@link RequestLimits#BYTES_PER_PIXEL} per pixel, for every format a client is likely to send — 16-bit RGBA PNG,
 * the costliest to decode, included. Everything allocated counts, garbage too, so the peak a request holds is no
 * larger. Measured per thread (HotSpot's allocation counter), on 3-megapixel images: below the model's resize bound,
 * where preprocessing costs the most per pixel.
 */
class PixelCostTest {

    private static final int WIDTH = 2000;
    private static final int HEIGHT = 1500;

    private record Sample(String format, byte[] encoded) {
    }

    @Test
    void decodingAndPreprocessingStayWithinTheBytesPerPixelTheDefaultsAssume() {
        ImageLoader loader = new ImageLoader();
        Glm4vImageProcessor processor = new Glm4vImageProcessor(PreprocessorConfig.DEFAULT);
        long pixels = (long) WIDTH * HEIGHT;
        List<String> costs = new ArrayList<>();
        List<String> over = new ArrayList<>();
        for (Sample s : samples()) {
            // once to load the classes and warm up, then measured
            processor.process(loader.load(s.encoded(), s.format()));
            long before = allocated();
            ImageInput image = loader.load(s.encoded(), s.format());
            long decoded = allocated();
            processor.process(image);
            long after = allocated();
            assertEquals(WIDTH, image.width());
            double decode = (decoded - before) / (double) pixels;
            double total = (after - before) / (double) pixels;
            String cost = String.format(Locale.ROOT, "%s: decode %.1f, decode + preprocess %.1f bytes a pixel",
                    s.format(), decode, total);
            costs.add(cost);
            if (total > RequestLimits.BYTES_PER_PIXEL) {
                over.add(cost);
            }
        }
        System.out.println("PixelCostTest: " + String.join("; ", costs));
        assertEquals(List.of(), over, "over " + RequestLimits.BYTES_PER_PIXEL + " bytes a pixel; all: " + costs);
        assertTrue(costs.size() >= 5);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static List<Sample> samples() {
        BufferedImage rgb = gradient(BufferedImage.TYPE_INT_RGB);
        BufferedImage grey = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(rgb, 0, 0, null);
        return List.of(new Sample("grey PNG", encode(grey, "png")), new Sample("RGB PNG", encode(rgb, "png")),
                new Sample("RGBA PNG", encode(gradient(BufferedImage.TYPE_INT_ARGB), "png")),
                new Sample("16-bit RGBA PNG", encode(rgba16(), "png")), new Sample("JPEG", encode(rgb, "jpeg")));
    }

    private static BufferedImage gradient(int type) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, type);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.setRGB(x, y, 0x80000000 | (x & 0xFF) << 16 | (y & 0xFF) << 8 | (x + y) & 0xFF);
            }
        }
        return image;
    }

    private static BufferedImage rgba16() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(WIDTH, HEIGHT);
        int[] pixel = new int[4];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                pixel[0] = x * 32;
                pixel[1] = y * 40;
                pixel[2] = (x + y) * 16;
                pixel[3] = 40_000;
                raster.setPixel(x, y, pixel);
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
