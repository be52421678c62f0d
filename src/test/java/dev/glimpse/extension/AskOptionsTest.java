package dev.glimpse.extension;

import dev.glimpse.engine.GenerationOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AskOptionsTest {

    private static final GenerationOptions MODEL_DEFAULTS =
            new GenerationOptions(512, 0.8, 0.6, 2, 1.1, null, true);

    @Test
    void unsetOptionsKeepTheModelsDefaults() {
        assertSame(MODEL_DEFAULTS, Vision.options().applyTo(MODEL_DEFAULTS));
        assertEquals("options(model defaults)", Vision.options().toString());
    }

    @Test
    void chainedSettingsReachTheEngine() {
        AskOptions o = Vision.options().temperature(0.7).topP(0.9).topK(5).maxTokens(200).noThink().seed(42)
                .repetitionPenalty(1.05);
        GenerationOptions g = o.applyTo(MODEL_DEFAULTS);
        assertEquals(new GenerationOptions(200, 0.7, 0.9, 5, 1.05, 42L, false), g);
        assertEquals("options(max tokens 200, temperature 0.7, top-p 0.9, top-k 5, repetition penalty 1.05, seed 42, "
                + "thinking off)", o.toString());
    }

    @Test
    void eachSetterReturnsANewObject() {
        AskOptions base = Vision.options().noThink();
        AskOptions longer = base.maxTokens(900);
        assertEquals("options(thinking off)", base.toString());
        assertEquals("options(max tokens 900, thinking off)", longer.toString());
    }

    @Test
    void laterOptionsWinSettingBySetting() {
        AskOptions defaults = Vision.options().noThink().maxTokens(64).system("Answer in one word.");
        AskOptions call = Vision.options().maxTokens(8).think();
        AskOptions merged = defaults.with(call);
        GenerationOptions g = merged.applyTo(MODEL_DEFAULTS);
        assertEquals(8, g.maxNewTokens());
        assertTrue(g.thinking());
        assertEquals("Answer in one word.", merged.systemPrompt());
        assertNull(Vision.options().system("  ").systemPrompt());
    }

    @Test
    void invalidValuesAreRefusedWithTheRange() {
        assertEquals("temperature must be 0 (greedy) or positive, was -0.1",
                assertThrows(IllegalArgumentException.class, () -> Vision.options().temperature(-0.1)).getMessage());
        assertEquals("topP must be in (0, 1], was 1.5",
                assertThrows(IllegalArgumentException.class, () -> Vision.options().topP(1.5)).getMessage());
        assertEquals("maxTokens must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Vision.options().maxTokens(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vision.options().topK(-1));
        assertThrows(IllegalArgumentException.class, () -> Vision.options().repetitionPenalty(0));
        assertFalse(Vision.options().equals(Vision.options().seed(1)));
    }
}
