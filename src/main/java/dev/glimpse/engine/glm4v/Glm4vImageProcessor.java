package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;

/**
 * GLM-4V's image processor (transformers' {@code Glm4vImageProcessor}, Pillow path): resize to the
 * {@link SmartResize smart size} with Pillow-exact bicubic, rescale to [0, 1], normalise with the CLIP mean and std,
 * repeat each still image over the temporal patch, and cut it into patches ordered by merge block.
 */
public final class Glm4vImageProcessor {

    private static final int CHANNELS = 3;

    private final PreprocessorConfig config;
    private final float[][] lut = new float[CHANNELS][256];

    public Glm4vImageProcessor(PreprocessorConfig config) {
        this.config = config;
        for (int c = 0; c < CHANNELS; c++) {
            // as numpy does it: float64 rescale, cast to float32, then float32 (x − mean) / std
            float mean = (float) (double) config.imageMean().get(c);
            float std = (float) (double) config.imageStd().get(c);
            for (int v = 0; v < 256; v++) {
                float x = config.doRescale() ? (float) (v * config.rescaleFactor()) : v;
                lut[c][v] = config.doNormalize() ? (x - mean) / std : x;
            }
        }
    }

    /** The settings in use. */
    public PreprocessorConfig config() {
        return config;
    }

    /** Values per patch row: channels × temporal patch × patch² (1176). */
    public int patchDim() {
        return CHANNELS * config.temporalPatchSize() * config.patchSize() * config.patchSize();
    }

    /** Processes the images of one prompt, in order. */
    public ProcessedImages process(List<ImageInput> images) {
        return process(images, CancellationToken.NEVER);
    }

    /**
     * Processes the images of one prompt, in order, checking {@code cancel} between images and between rows of
     * each resize.
     *
     * @throws GenerationCancelled when {@code cancel} reports cancellation
     */
    ProcessedImages process(List<ImageInput> images, CancellationToken cancel) {
        List<ProcessedImage> out = new ArrayList<>(images.size());
        for (ImageInput image : images) {
            GenerationCancelled.checkpoint(cancel);
            out.add(process(image, cancel));
        }
        return new ProcessedImages(out, patchDim());
    }

    /**
     * The patch grid an image of this size gets, as {@link #process} computes it, without touching pixels.
     *
     * @throws IllegalArgumentException when the image cannot be processed (e.g. an extreme aspect ratio)
     */
    public ImageGrid grid(int width, int height) {
        int outW = width;
        int outH = height;
        if (config.doResize()) {
            SmartResize.Size size = SmartResize.of(height, width, config);
            outW = size.width();
            outH = size.height();
        }
        return new ImageGrid(1, outH / config.patchSize(), outW / config.patchSize());
    }

    /** Processes one image. */
    public ProcessedImage process(ImageInput image) {
        return process(image, CancellationToken.NEVER);
    }

    private ProcessedImage process(ImageInput image, CancellationToken cancel) {
        BufferedImage rgbImage = ImageLoader.toRgb(image.image());
        int width = rgbImage.getWidth();
        int height = rgbImage.getHeight();
        int outW = width;
        int outH = height;
        if (config.doResize()) {
            SmartResize.Size size;
            try {
                size = SmartResize.of(height, width, config);
            } catch (IllegalArgumentException e) {
                throw new dev.glimpse.engine.PromptRejectedException("Image " + image.source() + " (" + width
                        + "×" + height + ") cannot be processed: " + e.getMessage() + ".", e);
            }
            outW = size.width();
            outH = size.height();
        } else if (width % config.factor() != 0 || height % config.factor() != 0) {
            throw new IllegalArgumentException("Image " + image.source() + " is " + width + "×" + height + ", but "
                    + "with do_resize false both sides must be multiples of " + config.factor());
        }
        byte[] rgb = interleavedRgb(rgbImage);
        GenerationCancelled.checkpoint(cancel);
        byte[] resized = PillowBicubic.resize(rgb, width, height, outW, outH, cancel);
        int patch = config.patchSize();
        ImageGrid grid = new ImageGrid(1, outH / patch, outW / patch);
        return new ProcessedImage(image.source(), width, height, outW, outH, grid, patchify(resized, outW, grid),
                patchDim());
    }

    /** The image resized as the processor resizes it, as interleaved RGB bytes (for tests and inspection). */
    byte[] resizedRgb(ImageInput image) {
        BufferedImage rgb = ImageLoader.toRgb(image.image());
        SmartResize.Size size = SmartResize.of(rgb.getHeight(), rgb.getWidth(), config);
        return PillowBicubic.resize(interleavedRgb(rgb), rgb.getWidth(), rgb.getHeight(), size.width(), size.height());
    }

    static byte[] interleavedRgb(BufferedImage rgbImage) {
        int[] packed = ((DataBufferInt) rgbImage.getRaster().getDataBuffer()).getData();
        byte[] out = new byte[packed.length * 3];
        for (int i = 0, o = 0; i < packed.length; i++) {
            int p = packed[i];
            out[o++] = (byte) (p >> 16);
            out[o++] = (byte) (p >> 8);
            out[o++] = (byte) p;
        }
        return out;
    }

    // rows in merge-block order (block row, block column, row in block, column in block), each [C, T, py, px]
    private float[] patchify(byte[] rgb, int width, ImageGrid grid) {
        int patch = config.patchSize();
        int merge = config.mergeSize();
        int frames = config.temporalPatchSize();
        int area = patch * patch;
        int dim = patchDim();
        float[] out = new float[grid.patches() * dim];
        int row = 0;
        for (int by = 0; by < grid.h() / merge; by++) {
            for (int bx = 0; bx < grid.w() / merge; bx++) {
                for (int my = 0; my < merge; my++) {
                    for (int mx = 0; mx < merge; mx++) {
                        int y0 = (by * merge + my) * patch;
                        int x0 = (bx * merge + mx) * patch;
                        int base = row * dim;
                        for (int c = 0; c < CHANNELS; c++) {
                            float[] table = lut[c];
                            int channelBase = base + c * frames * area;
                            for (int py = 0; py < patch; py++) {
                                int src = ((y0 + py) * width + x0) * CHANNELS + c;
                                int dst = channelBase + py * patch;
                                for (int px = 0; px < patch; px++) {
                                    out[dst + px] = table[rgb[src + px * CHANNELS] & 0xFF];
                                }
                            }
                            for (int t = 1; t < frames; t++) {
                                System.arraycopy(out, channelBase, out, channelBase + t * area, area);
                            }
                        }
                        row++;
                    }
                }
            }
        }
        return out;
    }
}
