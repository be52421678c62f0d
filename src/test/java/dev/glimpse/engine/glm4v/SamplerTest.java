package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.engine.GenerationOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static final GenerationOptions GREEDY = GenerationOptions.DEFAULT;

    private static NDArray logits(float... values) {
        return manager.create(values);
    }

    @Test
    void greedyTakesTheArgmax() {
        assertEquals(2, new Sampler(GREEDY, new int[0]).next(logits(0.1f, 1.5f, 2.5f, -3f)));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScores() {
        GenerationOptions penalised = GREEDY.withRepetitionPenalty(2.0);
        // token 2 (2.5 → 1.25) falls below token 1 (1.5) once seen in the prompt
        assertEquals(1, new Sampler(penalised, new int[] {2}).next(logits(0.1f, 1.5f, 2.5f, -3f)));
        // negative scores get more negative: token 0 (-1 → -2) falls below token 1 (-1.5)
        Sampler sampler = new Sampler(penalised, new int[0]);
        assertEquals(0, sampler.next(logits(-1f, -1.5f)));
        sampler.accept(0);
        assertEquals(1, sampler.next(logits(-1f, -1.5f)));
    }

    @Test
    void scoresAreNotModified() {
        NDArray l = logits(1f, 2f, 3f);
        new Sampler(GREEDY.withRepetitionPenalty(3.0), new int[] {2}).next(l);
        assertEquals(3f, l.getFloat(2));
    }

    @Test
    void topKOfOneAndTinyTopPAreGreedy() {
        GenerationOptions hot = GREEDY.withTemperature(5.0).withSeed(7L);
        NDArray l = logits(0.5f, 0.2f, 0.9f, 0.1f, 0.3f);
        for (int i = 0; i < 20; i++) {
            assertEquals(2, new Sampler(hot.withTopK(1), new int[0]).next(l));
            assertEquals(2, new Sampler(hot.withTopP(1e-6).withSeed((long) i), new int[0]).next(l));
        }
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        GenerationOptions sampling = GREEDY.withTemperature(1.0).withSeed(1234L);
        NDArray l = logits(0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f);
        Sampler a = new Sampler(sampling, new int[0]);
        Sampler b = new Sampler(sampling, new int[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int x = a.next(l);
            assertEquals(x, b.next(l));
            seen.add(x);
        }
        assertTrue(seen.size() > 3, "temperature 1 over near-equal scores should spread: " + seen);
    }

    @Test
    void topKNeverPicksOutsideTheK() {
        GenerationOptions sampling = GREEDY.withTemperature(1.0).withTopK(2).withSeed(5L);
        NDArray l = logits(1f, 3f, 2.9f, 0f, 2.8f);
        Sampler s = new Sampler(sampling, new int[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(s.next(l));
        }
        assertEquals(Set.of(1, 2), seen);
    }

    @Test
    void samplingFollowsTheSoftmaxDistribution() {
        // probabilities 0.6 / 0.3 / 0.1 at temperature 1
        NDArray l = logits((float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1));
        Sampler s = new Sampler(GREEDY.withTemperature(1.0).withSeed(99L), new int[0]);
        int[] counts = new int[3];
        int draws = 3000;
        for (int i = 0; i < draws; i++) {
            counts[s.next(l)]++;
        }
        assertEquals(0.6, counts[0] / (double) draws, 0.04);
        assertEquals(0.3, counts[1] / (double) draws, 0.04);
        assertEquals(0.1, counts[2] / (double) draws, 0.03);
    }

    @Test
    void topPDropsTheTail() {
        // the two most likely tokens hold 0.9 ≥ top-p 0.85: token 2 (0.1) must never appear
        NDArray l = logits((float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1));
        Sampler s = new Sampler(GREEDY.withTemperature(1.0).withTopP(0.85).withSeed(3L), new int[0]);
        for (int i = 0; i < 300; i++) {
            assertNotEquals(2, s.next(l));
        }
    }
}
