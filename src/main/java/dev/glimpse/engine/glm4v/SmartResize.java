package dev.glimpse.engine.glm4v;

/**
 * GLM-4V's choice of processing size: both sides multiples of {@code factor} (28 = patch 14 × merge 2), the aspect
 * ratio kept as well as that allows, and the pixel count (counting a still image as {@code temporalFactor} frames)
 * inside the configured bounds. Arithmetic follows transformers' {@code smart_resize} exactly, including Python's
 * round-half-to-even and {@code int()} truncation.
 */
public final class SmartResize {

    /** Images more elongated than this are refused, as transformers refuses them. */
    public static final double MAX_ASPECT_RATIO = 200;

    private SmartResize() {
    }

    /** A processing size in pixels. */
    public record Size(int height, int width) {
    }

    /** The processing size for an image of {@code height × width} under a preprocessor config. */
    public static Size of(int height, int width, PreprocessorConfig config) {
        return of(height, width, config.factor(), config.temporalPatchSize(), config.minPixels(), config.maxPixels());
    }

    /**
     * The processing size for an image of {@code height × width}.
     *
     * @param factor         sides become multiples of this
     * @param temporalFactor frames a still image counts as (the temporal patch size)
     * @param minPixels      lower bound on frames × height × width
     * @param maxPixels      upper bound on frames × height × width
     * @throws IllegalArgumentException if the aspect ratio exceeds {@link #MAX_ASPECT_RATIO}
     */
    public static Size of(int height, int width, int factor, int temporalFactor, long minPixels, long maxPixels) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Image size must be positive, was " + width + "×" + height);
        }
        double h = height;
        double w = width;
        if (height < factor || width < factor) {
            double scale = Math.max((double) factor / height, (double) factor / width);
            h = (int) (height * scale);
            w = (int) (width * scale);
        }
        double aspect = Math.max(h, w) / Math.min(h, w);
        if (aspect > MAX_ASPECT_RATIO) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "its aspect ratio is %.1f, over GLM-4V's limit of %.0f; crop it or pad it to a squarer shape",
                    aspect, MAX_ASPECT_RATIO));
        }
        long frames = temporalFactor; // a still image: round(t / temporal) · temporal with t = temporal
        long hBar = (long) Math.rint(h / factor) * factor;
        long wBar = (long) Math.rint(w / factor) * factor;
        if (frames * hBar * wBar > maxPixels) {
            double beta = Math.sqrt(frames * h * w / maxPixels);
            hBar = Math.max(factor, (long) Math.floor(h / beta / factor) * factor);
            wBar = Math.max(factor, (long) Math.floor(w / beta / factor) * factor);
        } else if (frames * hBar * wBar < minPixels) {
            double beta = Math.sqrt(minPixels / (frames * h * w));
            hBar = (long) Math.ceil(h * beta / factor) * factor;
            wBar = (long) Math.ceil(w * beta / factor) * factor;
        }
        return new Size(Math.toIntExact(hBar), Math.toIntExact(wBar));
    }
}
