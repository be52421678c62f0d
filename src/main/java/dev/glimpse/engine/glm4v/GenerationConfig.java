package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.GenerationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's generation_config.json: stop ids and the sampling defaults its authors ship. Absent values are
 * {@code null} (or an empty list), meaning "not specified".
 *
 * @param eosTokenIds       ids that end generation
 * @param padTokenId        padding id
 * @param bosTokenId        beginning-of-sequence id
 * @param doSample          whether the defaults sample (transformers decodes greedily unless this is true)
 * @param temperature       sampling temperature
 * @param topP              nucleus sampling threshold
 * @param topK              top-k cutoff
 * @param repetitionPenalty repetition penalty
 * @param maxNewTokens      default generation length
 */
public record GenerationConfig(List<Integer> eosTokenIds, Integer padTokenId, Integer bosTokenId, Boolean doSample,
                               Double temperature, Double topP, Integer topK, Double repetitionPenalty,
                               Integer maxNewTokens) {

    /** A generation config that specifies nothing. */
    public static final GenerationConfig EMPTY =
            new GenerationConfig(List.of(), null, null, null, null, null, null, null, null);

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Reads generation_config.json. */
    public static GenerationConfig read(Path file) {
        return from(ConfigJson.read(file));
    }

    /** Reads {@code dir/generation_config.json}, or returns {@link #EMPTY} when the directory has none. */
    public static GenerationConfig readOrEmpty(Path dir) {
        Path file = dir.resolve("generation_config.json");
        return Files.isRegularFile(file) ? read(file) : EMPTY;
    }

    /** Parses generation_config.json text; {@code source} names it in error messages. */
    public static GenerationConfig parse(String json, String source) {
        return from(ConfigJson.parse(json, source));
    }

    static GenerationConfig from(ConfigJson j) {
        return new GenerationConfig(j.integers("eos_token_id", List.of()), j.integerOrNull("pad_token_id"),
                j.integerOrNull("bos_token_id"), j.has("do_sample") ? j.bool("do_sample", false) : null,
                j.numberOrNull("temperature"), j.numberOrNull("top_p"), j.integerOrNull("top_k"),
                j.numberOrNull("repetition_penalty"), j.integerOrNull("max_new_tokens"));
    }

    /**
     * {@code base} with this file's sampling defaults applied, following transformers: when {@code do_sample} is
     * not true the result is greedy (temperature 0) and top-p / top-k are left as in {@code base}; the repetition
     * penalty applies either way.
     */
    public GenerationOptions applyTo(GenerationOptions base) {
        GenerationOptions o = base;
        if (repetitionPenalty != null) {
            o = o.withRepetitionPenalty(repetitionPenalty);
        }
        if (maxNewTokens != null) {
            o = o.withMaxNewTokens(maxNewTokens);
        }
        if (!Boolean.TRUE.equals(doSample)) {
            return o.withTemperature(0.0);
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
        return o;
    }
}
