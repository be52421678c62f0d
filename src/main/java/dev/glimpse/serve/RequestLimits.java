package dev.glimpse.serve;

import java.util.Locale;

/**
 * How much work one chat completion request may ask for. Requests beyond a limit are refused before the model
 * sees them, with a message that names the limit: 400 for too many images or prompt tokens, 413 for images whose
 * pixels cannot fit (decided from the image headers, before decoding).
 *
 * @param maxImages       images per request
 * @param maxPixels       decoded pixels per request, all images together (width × height summed)
 * @param maxPromptTokens prompt tokens per request, text and images together; the model's context length bounds
 *                        it as well
 * @param maxPixelsInFlight decoded pixels of all requests held at once, from decoding until the answer; a request
 *                        that would go beyond waits for others to finish (and gets 503 after 60 s). It keeps
 *                        concurrent large requests from running the server out of memory
 */
public record RequestLimits(int maxImages, long maxPixels, int maxPromptTokens, long maxPixelsInFlight) {

    /**
     * Heap bytes one decoded pixel may take: the decoder's raster (3 bytes for RGB, 8 for 16-bit RGBA) and its
     * buffers, the RGB image the request holds until its answer (4), and GLM-4.6V's preprocessing of it (an RGB
     * copy, two resize passes and the normalised patches: ~33 for an image below the model's resize bound).
     * {@code PixelCostTest} measures everything decoding and preprocessing allocate, garbage included, for the
     * common formats: 38 (grey PNG) to 50 (16-bit RGBA PNG) bytes a pixel; this is that with a margin.
     */
    public static final int BYTES_PER_PIXEL = 56;

    /** Decoded pixels per request by default on a large heap: 64 megapixels (four 4000 × 4000 photos). */
    public static final long DEFAULT_MAX_PIXELS = 64_000_000L;

    /** The defaults ({@link #forHeap}) for this JVM's maximum heap. */
    public static final RequestLimits DEFAULT = forHeap(Runtime.getRuntime().maxMemory());

    /**
     * The default limits for a heap of {@code maxHeapBytes}: 16 images and 32,768 prompt tokens per request;
     * decoded pixels in flight, what half the heap holds at {@link #BYTES_PER_PIXEL} (the other half is the
     * model's, the request bodies' and the JVM's), but at least one megapixel; decoded pixels per request,
     * {@link #DEFAULT_MAX_PIXELS} or the pixels in flight, whichever is less. A request the heap could not decode
     * is refused (413) or waits its turn instead of running the server out of memory: below a 6.7 GiB heap the
     * per-request limit is under 64 megapixels (1 GiB: 9.6 megapixels; 384 MiB: 3.6).
     */
    public static RequestLimits forHeap(long maxHeapBytes) {
        long inFlight = Math.max(1_000_000L, maxHeapBytes / 2 / BYTES_PER_PIXEL);
        return new RequestLimits(16, Math.min(DEFAULT_MAX_PIXELS, inFlight), 32_768, inFlight);
    }

    /** The limits in a line, for the server's start-up log. */
    public String summary() {
        return String.format(Locale.ROOT, "%d images, %,d decoded pixels and %,d prompt tokens per request; "
                + "%,d decoded pixels of all requests at once", maxImages, maxPixels, maxPromptTokens,
                maxPixelsInFlight);
    }

    public RequestLimits {
        if (maxImages < 0) {
            throw new IllegalArgumentException("maxImages must be 0 or more, was " + maxImages);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, was " + maxPixels);
        }
        if (maxPromptTokens < 1) {
            throw new IllegalArgumentException("maxPromptTokens must be at least 1, was " + maxPromptTokens);
        }
        if (maxPixelsInFlight < maxPixels) {
            throw new IllegalArgumentException("maxPixelsInFlight must be at least maxPixels (" + maxPixels
                    + "), was " + maxPixelsInFlight);
        }
    }

    public RequestLimits withMaxImages(int n) {
        return new RequestLimits(n, maxPixels, maxPromptTokens, maxPixelsInFlight);
    }

    public RequestLimits withMaxPixels(long n) {
        return new RequestLimits(maxImages, n, maxPromptTokens, Math.max(n, maxPixelsInFlight));
    }

    public RequestLimits withMaxPromptTokens(int n) {
        return new RequestLimits(maxImages, maxPixels, n, maxPixelsInFlight);
    }

    public RequestLimits withMaxPixelsInFlight(long n) {
        return new RequestLimits(maxImages, maxPixels, maxPromptTokens, n);
    }
}
