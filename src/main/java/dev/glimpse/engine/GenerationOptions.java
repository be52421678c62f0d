package dev.glimpse.engine;

/**
 * How to generate.
 *
 * @param maxNewTokens      the most tokens to generate (reasoning included)
 * @param temperature       0 (or anything under {@link #GREEDY_BELOW}) for greedy decoding; above it samples from the
 *                          softened distribution
 * @param topP              nucleus sampling: keep the smallest set of tokens whose probability reaches this (1 = off)
 * @param topK              keep only the k most likely tokens (0 = off)
 * @param repetitionPenalty divides positive logits (multiplies negative ones) of tokens already seen (1 = off)
 * @param seed              random seed for sampling, or {@code null} for a fresh one each call
 * @param thinking          whether the model reasons in {@code <think>} before answering (GLM-4.6V default: on)
 */
public record GenerationOptions(int maxNewTokens, double temperature, double topP, int topK,
                                double repetitionPenalty, Long seed, boolean thinking) {

    /** Greedy decoding, 512 new tokens, thinking on. */
    public static final GenerationOptions DEFAULT = new GenerationOptions(512, 0.0, 1.0, 0, 1.0, null, true);

    /**
     * Temperatures under this decode greedily: dividing logits by a temperature this small overflows float32 (at
     * 1e-300 every score becomes infinite and sampling returns garbage), while the softened distribution is
     * already the argmax.
     */
    public static final double GREEDY_BELOW = 1e-5;

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, was " + maxNewTokens);
        }
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 (greedy) or positive, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be 0 (off) or positive, was " + topK);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetitionPenalty must be positive, was " + repetitionPenalty);
        }
    }

    /** Whether tokens are chosen by argmax: temperature 0 or under {@link #GREEDY_BELOW}. */
    public boolean greedy() {
        return temperature < GREEDY_BELOW;
    }

    public GenerationOptions withMaxNewTokens(int n) {
        return new GenerationOptions(n, temperature, topP, topK, repetitionPenalty, seed, thinking);
    }

    public GenerationOptions withTemperature(double t) {
        return new GenerationOptions(maxNewTokens, t, topP, topK, repetitionPenalty, seed, thinking);
    }

    public GenerationOptions withTopP(double p) {
        return new GenerationOptions(maxNewTokens, temperature, p, topK, repetitionPenalty, seed, thinking);
    }

    public GenerationOptions withTopK(int k) {
        return new GenerationOptions(maxNewTokens, temperature, topP, k, repetitionPenalty, seed, thinking);
    }

    public GenerationOptions withRepetitionPenalty(double r) {
        return new GenerationOptions(maxNewTokens, temperature, topP, topK, r, seed, thinking);
    }

    public GenerationOptions withSeed(Long s) {
        return new GenerationOptions(maxNewTokens, temperature, topP, topK, repetitionPenalty, s, thinking);
    }

    public GenerationOptions withThinking(boolean on) {
        return new GenerationOptions(maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, on);
    }
}
