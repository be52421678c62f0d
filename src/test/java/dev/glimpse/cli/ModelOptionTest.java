package dev.glimpse.cli;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.glm4v.Glm4vModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CLI says about a model load besides errors. */
class ModelOptionTest {

    @Test
    void aTightLoadIsAWarningOnStderrNamedAfterTheCommand(@TempDir Path home) throws Exception {
        Path model = FixtureModel.installAsDefault(home);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // the real memory plan against a stand-in figure: 2 GiB of working memory + 150 MB, more than 85 % full
        try (Glm4vModel tight = Glm4vModel.load(model, Glm4vModel.Options.DEFAULT.withDtype(DataType.FLOAT32)
                .withAvailableMemoryBytes((2L << 30) + 150_000_000L))) {
            ModelOption.printWarnings(tight.info(), err, "glimpse ask");
            // and glimpse ask --json carries it for scripts that read only stdout
            JsonNode json = new ObjectMapper().readTree(AskCommand.json(tight.info(),
                    tight.generate(Prompt.of("Hi"), tight.defaultOptions().withMaxNewTokens(1)), null, 0));
            assertEquals(1, json.get("warnings").size(), json.toString());
            assertTrue(json.get("warnings").get(0).asText().contains("may be slow"), json.toString());
        }
        String said = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("glimpse ask: warning: The model in " + model) && said.contains("may be slow")
                && said.contains("Close other programs"), said);
        assertEquals(1, said.lines().count(), said);

        bytes.reset();
        try (Glm4vModel roomy = Glm4vModel.load(model, Glm4vModel.Options.DEFAULT.withDtype(DataType.FLOAT32)
                .withAvailableMemoryBytes(64L << 30))) {
            ModelOption.printWarnings(roomy.info(), err, "glimpse ask");
            JsonNode json = new ObjectMapper().readTree(AskCommand.json(roomy.info(),
                    roomy.generate(Prompt.of("Hi"), roomy.defaultOptions().withMaxNewTokens(1)), null, 0));
            assertTrue(json.get("warnings").isArray() && json.get("warnings").isEmpty(), json.toString());
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
