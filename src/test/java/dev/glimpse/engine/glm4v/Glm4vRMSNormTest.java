package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Glm4vRMSNormTest {

    @Test
    void scalesEachRowByItsRootMeanSquare() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = TestTensors.random(m, 41, 3.0, 4, 8);
            NDArray w = TestTensors.random(m, 42, 1.0, 8);
            float[] out = new Glm4vRMSNorm(w, 1e-5).forward(x).toFloatArray();
            float[] in = x.toFloatArray();
            float[] weight = w.toFloatArray();
            float[] expected = new float[in.length];
            for (int r = 0; r < 4; r++) {
                double ms = 0;
                for (int c = 0; c < 8; c++) {
                    ms += in[r * 8 + c] * in[r * 8 + c];
                }
                double inv = 1 / Math.sqrt(ms / 8 + 1e-5);
                for (int c = 0; c < 8; c++) {
                    expected[r * 8 + c] = (float) (weight[c] * in[r * 8 + c] * inv);
                }
            }
            assertTrue(TestTensors.maxAbsDiff(expected, out) < 1e-5);
        }
    }

    @Test
    void float16ActivationsAreNormalisedInFloat32() {
        try (NDManager m = NDManager.newBaseManager()) {
            // squares of 300 overflow float16 (max 65504); computed in float32 the row normalises to ±1
            NDArray x = m.create(new float[] {300f, -300f, 300f, -300f}).toType(DataType.FLOAT16, false);
            NDArray w = m.ones(new ai.djl.ndarray.types.Shape(4)).toType(DataType.FLOAT16, false);
            NDArray out = new Glm4vRMSNorm(w, 1e-5).forward(x);
            assertEquals(DataType.FLOAT16, out.getDataType());
            float[] v = out.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(i % 2 == 0 ? 1f : -1f, v[i], 1e-3f);
            }
        }
    }
}
