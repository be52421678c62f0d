package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network's pieces working together, on a random tiny GLM-4V. */
class Glm4vForConditionalGenerationTest {

    private static final int IMG = 290;
    private static final ImageGrid GRID = new ImageGrid(1, 4, 6); // 24 patches → 6 image tokens

    private static NDManager manager;
    private static Glm4vForConditionalGeneration network;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        network = TinyGlm4v.network(manager, 1, 1L << 30);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static int[] prompt() {
        int[] ids = new int[2 + 1 + 6 + 1 + 4];
        int i = 0;
        ids[i++] = 5;
        ids[i++] = 6;
        ids[i++] = 288;
        for (int k = 0; k < 6; k++) {
            ids[i++] = IMG;
        }
        ids[i++] = 289;
        for (int t : new int[] {7, 8, 9, 10}) {
            ids[i++] = t;
        }
        return ids;
    }

    private static NDArray pixels(NDManager m, ImageGrid grid, long seed) {
        return TestTensors.random(m, seed, 1.0, grid.patches(), 1176);
    }

    @Test
    void decodingWithTheCacheReproducesTheFullPrefill() {
        int[] ids = prompt();
        try (NDManager m = manager.newSubManager()) {
            NDArray image = network.imageFeatures(pixels(m, GRID, 3), List.of(GRID));
            RopeIndex rope = network.ropeIndex(ids, List.of(GRID));
            assertTrue(rope.ropeDelta() < 0, "a 2×3 image saves positions");
            Glm4vTextModel text = network.languageModel();
            NDArray embeds = network.inputsEmbeds(m, ids, image);

            NDArray full;
            try (KvCache cache = text.newCache(m, ids.length)) {
                full = text.forward(embeds, rope.positions(), 0, cache);
            }
            // the prompt up to the image's end in one pass, then the text after it token by token
            int prefix = 10;
            try (KvCache cache = text.newCache(m, 4)) {
                NDArray head = text.forward(embeds.get("0:{}", prefix), rope.positions(), 0, cache);
                assertTrue(TestTensors.maxAbsDiff(full.get("0:{}", prefix), head) < 1e-5);
                for (int i = prefix; i < ids.length; i++) {
                    NDArray row = text.forward(embeds.get("{}:{}", i, i + 1), rope.decodePositions(i, 1), 0, cache);
                    assertTrue(TestTensors.maxAbsDiff(full.get("{}:{}", i, i + 1), row) < 1e-5, "token " + i);
                }
                assertTrue(cache.capacity() > 4, "the cache grew past its first reservation");
            }
        }
    }

    @Test
    void imagesAttendOnlyWithinThemselves() {
        ImageGrid second = new ImageGrid(1, 6, 4);
        try (NDManager m = manager.newSubManager()) {
            NDArray a = pixels(m, GRID, 11);
            NDArray b = pixels(m, second, 12);
            NDArray together = network.imageFeatures(a.concat(b, 0), List.of(GRID, second));
            NDArray alone = network.imageFeatures(a, List.of(GRID)).concat(network.imageFeatures(b, List.of(second)), 0);
            assertEquals(new Shape(12, 64), together.getShape());
            assertTrue(TestTensors.maxAbsDiff(alone, together) < 1e-5);
        }
    }

    @Test
    void chunkedVisionAttentionGivesTheUnchunkedTower() {
        Glm4vForConditionalGeneration chunked = TinyGlm4v.network(manager, 1, 100);
        try (NDManager m = manager.newSubManager()) {
            NDArray a = pixels(m, GRID, 13);
            assertTrue(TestTensors.maxAbsDiff(network.imageFeatures(a, List.of(GRID)),
                    chunked.imageFeatures(a, List.of(GRID))) < 1e-5);
        }
    }

    @Test
    void imageTokenCountMustMatchTheFeatures() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = network.imageFeatures(pixels(m, GRID, 3), List.of(GRID));
            int[] ids = {1, IMG, IMG, 2};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> network.inputsEmbeds(m, ids, image));
            assertTrue(e.getMessage().contains("2 <|image|> tokens but the vision tower produced 6 rows"),
                    e.getMessage());
        }
    }

    /** Greedy decoding with the loop equals re-running the whole sequence and taking the argmax each time. */
    @Test
    void greedyLoopMatchesRecomputingFromScratch() {
        int[] ids = prompt();
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(6);
        List<Integer> streamed = new ArrayList<>();
        GenerationLoop.Result result;
        try (NDManager m = manager.newSubManager()) {
            result = new GenerationLoop(network, Set.of()).run(m, ids, pixels(m, GRID, 4), List.of(GRID), options,
                    streamed::add, CancellationToken.NEVER);
        }
        assertEquals(FinishReason.LENGTH, result.finishReason());
        assertEquals(6, result.tokens().size());
        assertEquals(result.tokens(), streamed);
        assertEquals(5, result.decodeMillis().size());
        assertEquals(5, result.firstTop().size());
        assertEquals(result.tokens().get(0), result.firstTop().get(0).id());

        int[] sequence = Arrays.copyOf(ids, ids.length + 5);
        for (int step = 0; step < 6; step++) {
            int length = ids.length + step;
            try (NDManager m = manager.newSubManager()) {
                NDArray image = network.imageFeatures(pixels(m, GRID, 4), List.of(GRID));
                int[] seq = Arrays.copyOf(sequence, length);
                // the ids after the prompt are text; their positions continue as get_rope_index gives them
                RopeIndex rope = network.ropeIndex(seq, List.of(GRID));
                Glm4vTextModel text = network.languageModel();
                try (KvCache cache = text.newCache(m, length)) {
                    NDArray hidden = text.forward(network.inputsEmbeds(m, seq, image), rope.positions(), 0, cache);
                    int expected = (int) network.logits(hidden.get("-1:")).reshape(-1).argMax().getLong();
                    assertEquals(expected, result.tokens().get(step), "step " + step);
                }
            }
            if (step < 5) {
                sequence[length] = result.tokens().get(step);
            }
        }
    }

    @Test
    void stopIdsEndGenerationAndCancellationKeepsThePartialAnswer() {
        int[] ids = prompt();
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(8);
        List<Integer> free;
        try (NDManager m = manager.newSubManager()) {
            free = new GenerationLoop(network, Set.of()).run(m, ids, pixels(m, GRID, 5), List.of(GRID), options,
                    t -> { }, CancellationToken.NEVER).tokens();
        }
        int stop = free.get(2);
        try (NDManager m = manager.newSubManager()) {
            GenerationLoop.Result stopped = new GenerationLoop(network, Set.of(stop)).run(m, ids, pixels(m, GRID, 5),
                    List.of(GRID), options, t -> { }, CancellationToken.NEVER);
            assertEquals(FinishReason.STOP, stopped.finishReason());
            assertEquals(stop, stopped.tokens().get(stopped.tokens().size() - 1));
            assertTrue(stopped.tokens().size() <= 3);
        }
        // the token is polled before the first token too (preprocessing, vision, prefill): cancel by tokens seen
        int[] seen = {0};
        CancellationToken afterThree = () -> seen[0] >= 3;
        try (NDManager m = manager.newSubManager()) {
            GenerationLoop.Result cancelled = new GenerationLoop(network, Set.of()).run(m, ids, pixels(m, GRID, 5),
                    List.of(GRID), options, t -> seen[0]++, afterThree);
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
            assertEquals(free.subList(0, 3), cancelled.tokens());
        }
    }

    @Test
    void aRunFreesAllItsNativeMemory() {
        try (NDManager half = NDManager.newBaseManager()) {
            Glm4vForConditionalGeneration float16 = TinyGlm4v.network(half, TinyGlm4v.config(), 1, 1L << 30,
                    ai.djl.ndarray.types.DataType.FLOAT16);
            for (var run : List.of(Map.entry(manager, network), Map.entry(half, float16))) {
                NDManager weightsManager = run.getKey();
                try (NDManager m = weightsManager.newSubManager()) {
                    NDArray pv = pixels(m, GRID, 6);
                    int weights = weightsManager.getManagedArrays().size();
                    int own = m.getManagedArrays().size();
                    GenerationOptions sampling = GenerationOptions.DEFAULT.withMaxNewTokens(4).withTemperature(0.7)
                            .withTopK(5).withRepetitionPenalty(1.2).withSeed(1L);
                    new GenerationLoop(run.getValue(), Set.of()).run(m, prompt(), pv, List.of(GRID), sampling,
                            t -> { }, CancellationToken.NEVER);
                    assertEquals(weights, weightsManager.getManagedArrays().size(),
                            "arrays left on the model's manager");
                    assertEquals(own, m.getManagedArrays().size(), "arrays left on the caller's manager");
                }
            }
        }
    }
}
