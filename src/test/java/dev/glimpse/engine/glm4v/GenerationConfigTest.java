package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.glimpse.engine.GenerationOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationConfigTest {

    private static final String SAMPLING = """
            {"do_sample": true, "eos_token_id": [151329, 151336, 151338], "pad_token_id": 151329,
             "temperature": 0.8, "top_p": 0.6, "top_k": 2, "repetition_penalty": 1.1,
             "transformers_version": "5.0.0"}
            """;

    @Test
    void readsIdsAndSamplingDefaults() {
        GenerationConfig g = GenerationConfig.parse(SAMPLING, "generation_config.json");
        assertEquals(List.of(151329, 151336, 151338), g.eosTokenIds());
        assertEquals(151329, g.padTokenId());
        assertNull(g.bosTokenId());
        assertEquals(0.8, g.temperature());
        assertEquals(2, g.topK());
        GenerationOptions o = g.applyTo(GenerationOptions.DEFAULT);
        assertEquals(0.8, o.temperature());
        assertEquals(0.6, o.topP());
        assertEquals(2, o.topK());
        assertEquals(1.1, o.repetitionPenalty());
        assertEquals(GenerationOptions.DEFAULT.maxNewTokens(), o.maxNewTokens());
    }

    @Test
    void withoutDoSampleDecodingIsGreedy() {
        GenerationConfig g = GenerationConfig.parse("{\"eos_token_id\": 2, \"temperature\": 0.7, \"top_k\": 5}", "g");
        assertEquals(List.of(2), g.eosTokenIds());
        GenerationOptions o = g.applyTo(GenerationOptions.DEFAULT.withTemperature(0.5));
        assertEquals(0.0, o.temperature());
        assertEquals(0, o.topK());
    }
}
