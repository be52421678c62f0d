package dev.glimpse.engine.glm4v;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RopeIndexTest {

    private static final int IMG = 99;

    @Test
    void imageTokensTakeGridPositionsAndTextResumesAfterTheLongerSide() {
        // 3 text tokens, a 4×6 patch grid (2×3 after the 2×2 merge → 6 tokens), 2 text tokens
        int[] ids = {1, 2, 3, IMG, IMG, IMG, IMG, IMG, IMG, 4, 5};
        RopeIndex index = RopeIndex.of(ids, IMG, List.of(new ImageGrid(1, 4, 6)), 2);
        assertArrayEquals(new int[] {0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7}, index.positions()[0]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7}, index.positions()[1]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7}, index.positions()[2]);
        assertEquals(7 + 1 - 11, index.ropeDelta());
        int[][] next = index.decodePositions(11, 1);
        assertArrayEquals(new int[] {8}, next[0]);
        assertArrayEquals(new int[] {8}, next[2]);
    }

    @Test
    void textOnlyPromptsHaveOrdinaryPositions() {
        RopeIndex index = RopeIndex.of(new int[] {5, 6, 7}, IMG, List.of(), 2);
        assertArrayEquals(new int[] {0, 1, 2}, index.positions()[1]);
        assertEquals(0, index.ropeDelta());
    }

    @Test
    void tokenCountMustMatchTheGrid() {
        int[] ids = {1, IMG, IMG, IMG, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RopeIndex.of(ids, IMG, List.of(new ImageGrid(1, 4, 4)), 2));
        assertTrue(e.getMessage().contains("has 3 <|image|> tokens"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RopeIndex.of(ids, IMG, List.of(), 2));
    }
}
