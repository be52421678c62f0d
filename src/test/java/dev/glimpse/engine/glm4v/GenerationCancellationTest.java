package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Prompt;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cancelled call stops wherever it is before the first token — preprocessing the images, in the vision tower, or
 * reading the prompt — and answers with no tokens, instead of finishing the work first. Runs the shipped
 * {@code models/glimpse-tiny} on nine 800×600 images (a prompt of two prefill chunks).
 *
 * <p>Where a check happens is read from the stack of the call to the cancellation token, so the test needs no
 * timing: how often each stage checks, and that cancelling at a stage's first check ends the call there.
 */
class GenerationCancellationTest {

    private static final Path MODEL = Path.of("models", "glimpse-tiny");
    private static final int IMAGES = 9;
    private static final int HEIGHT = 600;
    private static final GenerationOptions GREEDY = GenerationOptions.DEFAULT.withMaxNewTokens(4);

    /** The stages before the first token, and decoding. */
    enum Stage { PREPROCESSING, VISION, PREFILL, DECODING }

    private static Glm4vModel model;
    private static Prompt prompt;
    private static Answer uncancelled;

    @BeforeAll
    static void load() {
        model = Glm4vModel.load(MODEL);
        List<ImageInput> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage pixels = new BufferedImage(800, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = pixels.createGraphics();
            g.setColor(new Color(0x30A0F0 >> i));
            g.fillOval(50 * i, 100, 400, 300);
            g.dispose();
            images.add(new ImageInput("image " + i, pixels));
        }
        prompt = Prompt.of("Describe these images.", images.toArray(ImageInput[]::new));
        uncancelled = model.generate(prompt, GREEDY);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Counts the checks of each stage and cancels at the first check of one stage. */
    private static final class StageToken implements CancellationToken {

        private final Stage cancelAt;
        private final Map<Stage, Integer> checks = new EnumMap<>(Stage.class);
        private boolean tokenSeen;
        private boolean cancelled;
        private int checksAfterCancelling;

        StageToken(Stage cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override
        public boolean isCancelled() {
            if (cancelled) {
                checksAfterCancelling++;
                return true;
            }
            Stage stage = tokenSeen ? Stage.DECODING : stageOfCaller();
            checks.merge(stage, 1, Integer::sum);
            cancelled = stage == cancelAt;
            return cancelled;
        }

        int checks(Stage stage) {
            return checks.getOrDefault(stage, 0);
        }
    }

    private static Stage stageOfCaller() {
        Optional<Stage> stage = StackWalker.getInstance().walk(frames -> frames
                .map(f -> f.getClassName().replaceFirst("\\$.*", ""))
                .map(GenerationCancellationTest::stageOfClass)
                .flatMap(Optional::stream)
                .findFirst());
        return stage.orElseThrow(() -> new AssertionError("a cancellation check outside the known stages"));
    }

    private static Optional<Stage> stageOfClass(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return Optional.ofNullable(switch (simple) {
            case "PillowBicubic", "Glm4vImageProcessor" -> Stage.PREPROCESSING;
            case "Glm4vVisionModel" -> Stage.VISION;
            case "Glm4vTextModel" -> Stage.PREFILL;
            case "GenerationLoop" -> Stage.DECODING;
            default -> null;
        });
    }

    private static Answer generate(StageToken token) {
        return model.generate(prompt, GREEDY, t -> token.tokenSeen = true, token);
    }

    @Test
    void everyStageBeforeTheFirstTokenChecksBetweenItsBlocksOfWork() {
        StageToken counting = new StageToken(null);
        Glm4vModel.DetailedAnswer answer = model.generateDetailed(prompt, GREEDY, t -> counting.tokenSeen = true,
                counting);
        int promptTokens = answer.inputIds().length;
        int chunks = (promptTokens + GenerationLoop.PREFILL_CHUNK - 1) / GenerationLoop.PREFILL_CHUNK;
        assertTrue(chunks >= 2, "the prompt (" + promptTokens + " tokens) should need several prefill chunks");
        int depth = model.network().visual().config().depth();
        int layers = model.network().languageModel().numLayers();
        List<String> missing = new ArrayList<>();
        // a check per source row of every image: the horizontal resize pass reads whole rows
        expectAtLeast(missing, counting, Stage.PREPROCESSING, IMAGES * HEIGHT);
        // a check per block, per image's attention in each block, and between attention and MLP
        expectAtLeast(missing, counting, Stage.VISION, depth * (IMAGES + 2));
        // a check per layer and between attention and MLP, for every prefill chunk
        expectAtLeast(missing, counting, Stage.PREFILL, chunks * layers * 2);
        assertEquals(List.of(), missing);
    }

    private static void expectAtLeast(List<String> missing, StageToken token, Stage stage, int least) {
        if (token.checks(stage) < least) {
            missing.add(stage + ": " + token.checks(stage) + " checks, expected at least " + least);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"PREPROCESSING", "VISION", "PREFILL"})
    void cancellingInAStageEndsTheCallThereWithNoTokens(Stage stage) {
        StageToken token = new StageToken(stage);
        Answer cancelled = generate(token);

        assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
        assertEquals(List.of(), cancelled.tokenIds());
        assertEquals("", cancelled.text());
        assertEquals(1, token.checks(stage), "the call returned at the first check after cancelling");
        assertEquals(0, token.checksAfterCancelling, "nothing ran on after the cancelled check");
        for (Stage later : Stage.values()) {
            if (later.ordinal() > stage.ordinal()) {
                assertEquals(0, token.checks(later), later + " ran after cancelling in " + stage);
            }
        }
        assertEquals(uncancelled.tokenIds(), model.generate(prompt, GREEDY).tokenIds(),
                "the model answers as before after a cancelled call");
    }

    @Test
    void chunkedPrefillGivesTheHiddenStatesOfOnePass() {
        Glm4vForConditionalGeneration network = model.network();
        ModelInputs inputs = model.processor().encode(prompt, true);
        assertTrue(inputs.length() > GenerationLoop.PREFILL_CHUNK);
        RopeIndex rope = network.ropeIndex(inputs.inputIds(), inputs.grids());
        Glm4vTextModel text = network.languageModel();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = network.imageFeatures(inputs.images().pixelValues(m), inputs.grids());
            NDArray embeds = network.inputsEmbeds(m, inputs.inputIds(), image);
            NDArray whole;
            try (KvCache cache = text.newCache(m, inputs.length())) {
                whole = text.forward(embeds, rope.positions(), 0, cache).get("-1:");
            }
            NDArray chunked;
            try (KvCache cache = text.newCache(m, inputs.length())) {
                chunked = GenerationLoop.prefill(text, embeds, rope, cache, CancellationToken.NEVER);
            }
            double diff = TestTensors.maxAbsDiff(whole, chunked.get("-1:"));
            assertTrue(diff < 1e-4, "largest difference " + diff);
        }
    }
}
