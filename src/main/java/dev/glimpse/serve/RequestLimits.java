package dev.glimpse.serve;

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
     * 16 images, 64 megapixels (four 4000 × 4000 photos) and 32,768 prompt tokens per request; decoded pixels in
     * flight: a 16th of the heap at 1 byte each (a decoded pixel takes 4 bytes, and decoding and preprocessing
     * need as much again), but at least one request's worth.
     */
    public static final RequestLimits DEFAULT = new RequestLimits(16, 64_000_000L, 32_768,
            Math.max(64_000_000L, Runtime.getRuntime().maxMemory() / 16));

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
