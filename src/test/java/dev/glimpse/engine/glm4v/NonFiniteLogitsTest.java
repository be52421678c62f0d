package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dtype's logits are checked before a token is chosen; garbage stops generation with the fix. */
class NonFiniteLogitsTest {

    @Test
    void finiteLogitsPassInFloat32() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1f, -2f, 3f}).toType(DataType.FLOAT16, false);
            NDArray checked = GenerationLoop.finiteFloat32(logits, DataType.FLOAT16);
            assertEquals(DataType.FLOAT32, checked.getDataType());
            assertArrayEquals(new float[] {1f, -2f, 3f}, checked.toFloatArray());
            NDArray bf16 = BFloat16.cast(m.create(new float[] {0.5f, 4f}), DataType.BFLOAT16);
            assertArrayEquals(new float[] {0.5f, 4f}, GenerationLoop.finiteFloat32(bf16, DataType.BFLOAT16)
                    .toFloatArray());
        }
    }

    @Test
    void nanOrInfinityStopsWithTheDtypeAndTheFix() {
        try (NDManager m = NDManager.newBaseManager()) {
            // float16 overflow: 70000 is past its largest value, 65504
            NDArray overflow = m.create(new float[] {1f, 70000f, 2f}).toType(DataType.FLOAT16, false);
            NonFiniteLogitsException e = assertThrows(NonFiniteLogitsException.class,
                    () -> GenerationLoop.finiteFloat32(overflow, DataType.FLOAT16));
            assertEquals("float16", e.dtype());
            assertTrue(e.getMessage().contains("in float16") && e.getMessage().contains("--dtype bfloat16")
                    && e.getMessage().contains("float32"), e.getMessage());

            NDArray nan = BFloat16.cast(m.create(new float[] {Float.NaN, 1f}), DataType.BFLOAT16);
            NonFiniteLogitsException b = assertThrows(NonFiniteLogitsException.class,
                    () -> GenerationLoop.finiteFloat32(nan, DataType.BFLOAT16));
            assertTrue(b.getMessage().contains("in bfloat16") && b.getMessage().contains("--dtype float32"),
                    b.getMessage());

            NDArray inf = m.create(new float[] {Float.NEGATIVE_INFINITY, 1f});
            assertTrue(assertThrows(NonFiniteLogitsException.class,
                    () -> GenerationLoop.finiteFloat32(inf, DataType.FLOAT32)).getMessage().contains("download"));
        }
    }
}
