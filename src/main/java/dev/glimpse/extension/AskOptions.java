package dev.glimpse.extension;

import dev.glimpse.engine.GenerationOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to answer: sampling, length, thinking, a system prompt. Start from {@code options()} and chain; every method
 * returns a new object, so a saved set of options can be varied freely. Unset, the temperature is 0 (greedy: the
 * same question gets the same answer) and the rest are the model's own defaults (its {@code generation_config.json}:
 * top-p, top-k, repetition penalty, which matter once a temperature is set).
 *
 * <pre>{@code
 * ask(img, "Describe the scene.", options().temperature(0.7).topP(0.9).maxTokens(200).noThink());
 * ask(img, "Count the circles.", options().seed(42));
 * setDefaultOptions(options().noThink());      // for every later ask
 * }</pre>
 */
public final class AskOptions {

    private static final AskOptions NONE = new AskOptions(null, null, null, null, null, null, null, null, null, null);

    private final Integer maxTokens;
    private final Double temperature;
    private final Double topP;
    private final Integer topK;
    private final Double repetitionPenalty;
    private final Long seed;
    private final Boolean thinking;
    private final String system;
    private final Integer concurrency;
    private final String judge;

    private AskOptions(Integer maxTokens, Double temperature, Double topP, Integer topK, Double repetitionPenalty,
                       Long seed, Boolean thinking, String system, Integer concurrency, String judge) {
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.repetitionPenalty = repetitionPenalty;
        this.seed = seed;
        this.thinking = thinking;
        this.system = system;
        this.concurrency = concurrency;
        this.judge = judge;
    }

    /** No settings: the model's defaults. */
    public static AskOptions defaults() {
        return NONE;
    }

    /**
     * The most tokens to generate, reasoning included.
     *
     * @param n at least 1
     */
    public AskOptions maxTokens(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, was " + n);
        }
        return new AskOptions(n, temperature, topP, topK, repetitionPenalty, seed, thinking, system,
                concurrency, judge);
    }

    /**
     * Sampling temperature: 0 picks the most likely token every time (repeatable answers); higher values vary more.
     *
     * @param t 0 or more; 0.6–1.0 is typical for sampling
     */
    public AskOptions temperature(double t) {
        if (!(t >= 0)) {
            throw new IllegalArgumentException("temperature must be 0 (greedy) or positive, was " + t);
        }
        return new AskOptions(maxTokens, t, topP, topK, repetitionPenalty, seed, thinking, system,
                concurrency, judge);
    }

    /**
     * Nucleus sampling: keep the fewest likely tokens whose probabilities add up to {@code p}.
     *
     * @param p in (0, 1]; 1 turns it off
     */
    public AskOptions topP(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + p);
        }
        return new AskOptions(maxTokens, temperature, p, topK, repetitionPenalty, seed, thinking, system,
                concurrency, judge);
    }

    /**
     * Keep only the {@code k} most likely tokens when sampling.
     *
     * @param k 0 turns it off
     */
    public AskOptions topK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("topK must be 0 (off) or positive, was " + k);
        }
        return new AskOptions(maxTokens, temperature, topP, k, repetitionPenalty, seed, thinking, system,
                concurrency, judge);
    }

    /**
     * Discourages tokens already generated (1 = off, 1.05–1.2 typical).
     *
     * @param r positive
     */
    public AskOptions repetitionPenalty(double r) {
        if (!(r > 0)) {
            throw new IllegalArgumentException("repetitionPenalty must be positive (1 = off), was " + r);
        }
        return new AskOptions(maxTokens, temperature, topP, topK, r, seed, thinking, system,
                concurrency, judge);
    }

    /** A random seed, so that sampled answers repeat. */
    public AskOptions seed(long s) {
        return new AskOptions(maxTokens, temperature, topP, topK, repetitionPenalty, s, thinking, system,
                concurrency, judge);
    }

    /** Let the model reason ({@code <think>…}) before it answers: slower, often better. */
    public AskOptions think() {
        return thinking(true);
    }

    /** Answer straight away, without reasoning first. */
    public AskOptions noThink() {
        return thinking(false);
    }

    /** Whether the model reasons before it answers. */
    public AskOptions thinking(boolean on) {
        return new AskOptions(maxTokens, temperature, topP, topK, repetitionPenalty, seed, on, system,
                concurrency, judge);
    }

    /** A system prompt put before the conversation, e.g. {@code "Answer in one word."}. */
    public AskOptions system(String prompt) {
        return new AskOptions(maxTokens, temperature, topP, topK, repetitionPenalty, seed, thinking,
                prompt == null || prompt.isBlank() ? null : prompt, concurrency, judge);
    }

    /**
     * For {@code askAll} and {@code evaluate}: how many requests to keep in flight at once. Worth raising for an
     * OpenAI-compatible endpoint that answers in parallel (vLLM, SGLang: the default there is 8); an in-process model
     * answers one at a time (default 1). Answers still come, and are saved, in input order.
     *
     * @param n at least 1
     */
    public AskOptions concurrency(int n) {
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + n);
        }
        return new AskOptions(maxTokens, temperature, topP, topK, repetitionPenalty, seed, thinking, system, n, judge);
    }

    /** The concurrency set, or {@code null} for the model's default. */
    public Integer concurrencyOrNull() {
        return concurrency;
    }

    /**
     * For {@code evaluate}: grade the {@code judge} items with the model behind this OpenAI-compatible endpoint
     * (e.g. {@code http://gpu-box:8000/v1}, the served model's name after a space if it serves several:
     * {@code "http://gpu-box:8000/v1 glm-4.6v"}) instead of the model under test.
     */
    public AskOptions judge(String endpoint) {
        return new AskOptions(maxTokens, temperature, topP, topK, repetitionPenalty, seed, thinking, system,
                concurrency, endpoint == null || endpoint.isBlank() ? null : endpoint.strip());
    }

    /** The judge endpoint set, or {@code null} for the model under test. */
    public String judgeOrNull() {
        return judge;
    }

    /** The system prompt, or {@code null}. */
    public String systemPrompt() {
        return system;
    }

    /** These options with every setting that {@code overrides} sets replaced by its value. */
    public AskOptions with(AskOptions overrides) {
        return new AskOptions(pick(overrides.maxTokens, maxTokens), pick(overrides.temperature, temperature),
                pick(overrides.topP, topP), pick(overrides.topK, topK),
                pick(overrides.repetitionPenalty, repetitionPenalty), pick(overrides.seed, seed),
                pick(overrides.thinking, thinking), pick(overrides.system, system),
                pick(overrides.concurrency, concurrency), pick(overrides.judge, judge));
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** The engine's options: {@code base} (the model's defaults) with the settings made here. */
    public GenerationOptions applyTo(GenerationOptions base) {
        GenerationOptions o = base;
        if (maxTokens != null) {
            o = o.withMaxNewTokens(maxTokens);
        }
        if (temperature != null) {
            o = o.withTemperature(temperature);
        }
        if (topP != null) {
            o = o.withTopP(topP);
        }
        if (topK != null) {
            o = o.withTopK(topK);
        }
        if (repetitionPenalty != null) {
            o = o.withRepetitionPenalty(repetitionPenalty);
        }
        if (seed != null) {
            o = o.withSeed(seed);
        }
        if (thinking != null) {
            o = o.withThinking(thinking);
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AskOptions other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** {@code options(max tokens 200, temperature 0.7, thinking off)}. */
    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        if (maxTokens != null) {
            set.add("max tokens " + maxTokens);
        }
        if (temperature != null) {
            set.add("temperature " + number(temperature));
        }
        if (topP != null) {
            set.add("top-p " + number(topP));
        }
        if (topK != null) {
            set.add("top-k " + topK);
        }
        if (repetitionPenalty != null) {
            set.add("repetition penalty " + number(repetitionPenalty));
        }
        if (seed != null) {
            set.add("seed " + seed);
        }
        if (thinking != null) {
            set.add("thinking " + (thinking ? "on" : "off"));
        }
        if (system != null) {
            set.add("system \"" + system + "\"");
        }
        if (concurrency != null) {
            set.add("concurrency " + concurrency);
        }
        if (judge != null) {
            set.add("judge " + judge);
        }
        return "options(" + (set.isEmpty() ? "model defaults" : String.join(", ", set)) + ")";
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
    }
}
