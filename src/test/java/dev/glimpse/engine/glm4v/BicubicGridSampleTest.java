package dev.glimpse.engine.glm4v;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BicubicGridSampleTest {

    private static final int SIDE = 5;

    private static float[] table() {
        float[] t = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                t[y * SIDE + x] = (float) Math.sin(1.3 * y + 0.7 * x * x);
            }
        }
        return t;
    }

    /** Samples the table at every patch of a raster-ordered gridH × gridW grid. */
    private static float[] sample(int gridH, int gridW) {
        int n = gridH * gridW;
        int[] hs = new int[n];
        int[] ws = new int[n];
        for (int i = 0; i < n; i++) {
            hs[i] = i / gridW;
            ws[i] = i % gridW;
        }
        float[] w = BicubicGridSample.weights(SIDE, hs, ws, gridH, gridW);
        float[] t = table();
        float[] out = new float[n];
        for (int r = 0; r < n; r++) {
            double acc = 0;
            for (int c = 0; c < t.length; c++) {
                acc += w[r * t.length + c] * t[c];
            }
            out[r] = (float) acc;
        }
        return out;
    }

    /**
     * Expected values from PyTorch 2.x: {@code F.grid_sample(table[None, None], grid, mode='bicubic',
     * align_corners=False, padding_mode='border')} with the table above and the patch-centre grid
     * {@code ((w + 0.5)/W·2 − 1, (h + 0.5)/H·2 − 1)} that transformers' Glm4vVisionEmbeddings builds.
     */
    @Test
    void matchesTorchGridSampleWhenShrinking() {
        float[] expected = {0.0749457f, 0.6014484f, 0.4583801f, 0.2034426f, -0.1188181f, -0.9474601f, 1.0071428f,
                0.8650684f, -0.5898454f, -0.3265414f, 1.0660915f, 0.3930296f, -0.2323371f, -0.7811652f, -0.4078448f,
                -0.1712941f, -0.031357f, 0.9670171f, -0.8978297f, -0.6905579f, 0.6012188f, 0.3252847f, -0.9801239f,
                -0.4969801f};
        assertArrayEquals(expected, sample(4, 6), 2e-6f);
    }

    @Test
    void matchesTorchGridSampleWithBorderTaps() {
        float[] expected = {0.1552464f, 0.42577f, -0.7653095f, 0.7711278f, -0.3388844f, -0.1330901f, 0.9988862f,
                -0.9838538f, 0.6421834f, 0.3377214f, -0.7727645f, 0.8751014f, -0.5829955f, 0.0322244f, 0.4354699f,
                -0.9612157f, 0.7738384f, -0.3594648f, -0.7938081f, 1.035369f, -0.8893279f};
        assertArrayEquals(expected, sample(7, 3), 2e-6f);
    }

    @Test
    void sameSizeGridReadsTheTableUnchanged() {
        assertArrayEquals(table(), sample(SIDE, SIDE), 1e-6f);
    }

    @Test
    void everyRowIsAPartitionOfUnity() {
        int[] hs = {0, 3, 10};
        int[] ws = {0, 6, 1};
        float[] w = BicubicGridSample.weights(24, hs, ws, 11, 7);
        for (int r = 0; r < hs.length; r++) {
            double sum = 0;
            for (int c = 0; c < 24 * 24; c++) {
                sum += w[r * 576 + c];
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }
}
