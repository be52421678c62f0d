package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.CancellationToken;

/**
 * Bicubic resampling of 8-bit RGB that gives the same bytes as Pillow's {@code Image.resize(size, BICUBIC)}, which
 * transformers' image processors use.
 *
 * <p>The algorithm, as Pillow defines it: separable passes, horizontal first, each producing 8-bit pixels. For output
 * pixel {@code i} of an axis scaled from {@code in} to {@code out} samples, {@code scale = in / out}; the kernel
 * (Keys' cubic with a = −0.5, support 2) is stretched by {@code max(scale, 1)} so downscaling averages, centred at
 * {@code (i + 0.5) · scale}. The weights of the covered input samples are normalised to sum 1, converted to fixed
 * point with 22 fraction bits (rounded half away from zero), and each output is the clamped integer sum plus one half,
 * shifted back.
 */
final class PillowBicubic {

    private static final double A = -0.5;
    private static final double SUPPORT = 2.0;
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowBicubic() {
    }

    /**
     * Resizes interleaved RGB bytes ({@code height × width × 3}) to {@code outHeight × outWidth}.
     */
    static byte[] resize(byte[] rgb, int width, int height, int outWidth, int outHeight) {
        return resize(rgb, width, height, outWidth, outHeight, CancellationToken.NEVER);
    }

    /**
     * {@link #resize(byte[], int, int, int, int)} that checks {@code cancel} after every row (a 4000-pixel row
     * takes well under a millisecond; a whole 4000×3000 image a quarter of a second).
     *
     * @throws GenerationCancelled when {@code cancel} reports cancellation
     */
    static byte[] resize(byte[] rgb, int width, int height, int outWidth, int outHeight, CancellationToken cancel) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width + "×" + height + "×3 bytes, got " + rgb.length);
        }
        byte[] image = rgb;
        if (outWidth != width) {
            image = horizontal(image, width, height, outWidth, Coefficients.of(width, outWidth), cancel);
        }
        if (outHeight != height) {
            image = vertical(image, outWidth, height, outHeight, Coefficients.of(height, outHeight), cancel);
        }
        return image == rgb ? rgb.clone() : image;
    }

    /** Fixed-point weights per output sample: taps {@code start[i] .. start[i] + count[i]}. */
    private record Coefficients(int taps, int[] start, int[] count, int[] weights) {

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int taps = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * taps];
            double[] k = new double[taps];
            double inverse = 1.0 / filterScale;
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double sum = 0;
                for (int x = 0; x < max; x++) {
                    k[x] = cubic((x + min - center + 0.5) * inverse);
                    sum += k[x];
                }
                for (int x = 0; x < max; x++) {
                    double w = sum != 0.0 ? k[x] / sum : k[x];
                    weights[i * taps + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                start[i] = min;
                count[i] = max;
            }
            return new Coefficients(taps, start, count, weights);
        }
    }

    private static double cubic(double x) {
        double ax = x < 0.0 ? -x : x;
        if (ax < 1.0) {
            return ((A + 2.0) * ax - (A + 3.0)) * ax * ax + 1;
        }
        if (ax < 2.0) {
            return (((ax - 5) * ax + 8) * ax - 4) * A;
        }
        return 0.0;
    }

    private static byte[] horizontal(byte[] in, int width, int height, int outWidth, Coefficients c,
                                     CancellationToken cancel) {
        byte[] out = new byte[outWidth * height * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < height; y++) {
            GenerationCancelled.checkpoint(cancel);
            int row = y * width * 3;
            int o = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++) {
                int r = half;
                int g = half;
                int b = half;
                int p = row + c.start[x] * 3;
                int w = x * c.taps;
                for (int t = 0; t < c.count[x]; t++, p += 3) {
                    int k = c.weights[w + t];
                    r += (in[p] & 0xFF) * k;
                    g += (in[p + 1] & 0xFF) * k;
                    b += (in[p + 2] & 0xFF) * k;
                }
                out[o++] = clip8(r);
                out[o++] = clip8(g);
                out[o++] = clip8(b);
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int width, int height, int outHeight, Coefficients c,
                                   CancellationToken cancel) {
        int stride = width * 3;
        byte[] out = new byte[stride * outHeight];
        int half = 1 << (PRECISION_BITS - 1);
        int[] acc = new int[stride];
        for (int y = 0; y < outHeight; y++) {
            GenerationCancelled.checkpoint(cancel);
            java.util.Arrays.fill(acc, half);
            int w = y * c.taps;
            for (int t = 0; t < c.count[y]; t++) {
                int k = c.weights[w + t];
                int row = (c.start[y] + t) * stride;
                for (int i = 0; i < stride; i++) {
                    acc[i] += (in[row + i] & 0xFF) * k;
                }
            }
            int o = y * stride;
            for (int i = 0; i < stride; i++) {
                out[o + i] = clip8(acc[i]);
            }
        }
        return out;
    }

    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
