package dev.glimpse.engine.glm4v;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image processor's settings (preprocessor_config.json, or the {@code image_processor} entry of
 * processor_config.json as transformers 5 writes it). Absent keys take the defaults of transformers'
 * {@code Glm4vImageProcessor}.
 *
 * @param minPixels         lower bound on resized height × width × temporal patch ({@code size.shortest_edge} or
 *                          {@code min_pixels}; despite the name, a pixel count)
 * @param maxPixels         upper bound, same unit ({@code size.longest_edge} or {@code max_pixels})
 * @param patchSize         side of a vision patch (14)
 * @param temporalPatchSize frames per patch; a still image is repeated to fill them (2)
 * @param mergeSize         side of the patch block merged into one LLM token (2)
 * @param imageMean         per-channel mean subtracted after rescaling (OpenAI CLIP)
 * @param imageStd          per-channel standard deviation divided by after subtracting the mean
 * @param rescaleFactor     multiplies 8-bit values before normalising (1/255)
 * @param doResize          whether to resize to the smart-resize size
 * @param doRescale         whether to multiply by {@code rescaleFactor}
 * @param doNormalize       whether to subtract the mean and divide by the std
 * @param resample          PIL resampling filter id; only 3 (bicubic) is supported
 */
public record PreprocessorConfig(long minPixels, long maxPixels, int patchSize, int temporalPatchSize, int mergeSize,
                                 List<Double> imageMean, List<Double> imageStd, double rescaleFactor,
                                 boolean doResize, boolean doRescale, boolean doNormalize, int resample) {

    /** OpenAI CLIP mean, transformers' {@code OPENAI_CLIP_MEAN}. */
    public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
    /** OpenAI CLIP std, transformers' {@code OPENAI_CLIP_STD}. */
    public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);
    /** PIL's id for bicubic resampling. */
    public static final int BICUBIC = 3;

    /** transformers' {@code Glm4vImageProcessor} defaults. */
    public static final PreprocessorConfig DEFAULT = new PreprocessorConfig(112 * 112, 28L * 28 * 15000, 14, 2, 2,
            CLIP_MEAN, CLIP_STD, 1 / 255.0, true, true, true, BICUBIC);

    public PreprocessorConfig {
        imageMean = List.copyOf(imageMean);
        imageStd = List.copyOf(imageStd);
        if (minPixels <= 0 || maxPixels < minPixels) {
            throw new IllegalArgumentException("Pixel bounds must satisfy 0 < min_pixels <= max_pixels, but are "
                    + minPixels + " and " + maxPixels);
        }
        if (patchSize <= 0 || temporalPatchSize <= 0 || mergeSize <= 0) {
            throw new IllegalArgumentException("patch_size, temporal_patch_size and merge_size must be positive");
        }
        if (imageMean.size() != 3 || imageStd.size() != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 values (R, G, B), but are "
                    + imageMean + " and " + imageStd);
        }
        if (imageStd.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("image_std values must be positive, but are " + imageStd);
        }
        if (resample != BICUBIC) {
            throw new IllegalArgumentException("resample " + resample + " is not supported; GLM-4V uses 3 (bicubic)");
        }
    }

    /** Side in pixels that resized images are multiples of: patch × merge (28). */
    public int factor() {
        return patchSize * mergeSize;
    }

    /** This config with other pixel bounds, e.g. to trade detail for speed. */
    public PreprocessorConfig withPixelBounds(long min, long max) {
        return new PreprocessorConfig(min, max, patchSize, temporalPatchSize, mergeSize, imageMean, imageStd,
                rescaleFactor, doResize, doRescale, doNormalize, resample);
    }

    /**
     * Reads the image processor settings of a model directory: {@code preprocessor_config.json}, else the
     * {@code image_processor} entry of {@code processor_config.json}, else the defaults.
     */
    public static PreprocessorConfig readFrom(Path modelDir) {
        Path pre = modelDir.resolve("preprocessor_config.json");
        if (Files.isRegularFile(pre)) {
            return from(ConfigJson.read(pre));
        }
        Path proc = modelDir.resolve("processor_config.json");
        if (Files.isRegularFile(proc)) {
            ConfigJson root = ConfigJson.read(proc);
            if (root.has("image_processor")) {
                return from(root.child("image_processor"));
            }
        }
        return DEFAULT;
    }

    /** Reads one preprocessor_config.json file. */
    public static PreprocessorConfig read(Path file) {
        return from(ConfigJson.read(file));
    }

    /** Parses preprocessor_config.json text; {@code source} names it in error messages. */
    public static PreprocessorConfig parse(String json, String source) {
        return from(ConfigJson.parse(json, source));
    }

    static PreprocessorConfig from(ConfigJson j) {
        ConfigJson size = j.child("size");
        // Qwen-style explicit bounds override size, as in transformers' processors that accept both
        long min = j.has("min_pixels") ? j.longValue("min_pixels", 0)
                : size.longValue("shortest_edge", DEFAULT.minPixels);
        long max = j.has("max_pixels") ? j.longValue("max_pixels", 0)
                : size.longValue("longest_edge", DEFAULT.maxPixels);
        try {
            return new PreprocessorConfig(min, max, j.integer("patch_size", 14), j.integer("temporal_patch_size", 2),
                    j.integer("merge_size", 2), j.numbers("image_mean", CLIP_MEAN), j.numbers("image_std", CLIP_STD),
                    j.number("rescale_factor", 1 / 255.0), j.bool("do_resize", true), j.bool("do_rescale", true),
                    j.bool("do_normalize", true), j.integer("resample", BICUBIC));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(j.file() + ": " + e.getMessage(), e);
        }
    }
}
