package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bf16 arrays through DJL 0.36 without naming BFLOAT16 to it (which would abort the JVM). */
class BFloat16Test {

    private static final Path TINY = Path.of("models", "glimpse-tiny");

    @Test
    void castRoundsToNearestEvenLikeTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 1 + 2^-8 is halfway between two bf16 values: ties go to the even one (1); 1 + 3·2^-8 rounds up
            float[] in = {1f + 0x1p-8f, 1f + 3 * 0x1p-8f, 3.14159f, -2.5f, 1e-3f};
            NDArray bf16 = BFloat16.cast(m.create(in), DataType.BFLOAT16);
            assertTrue(BFloat16.is(bf16));
            assertEquals(DataType.BFLOAT16, BFloat16.typeOf(bf16));
            float[] back = bf16.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(Float16.bf16ToFloat(roundToBf16(in[i])), back[i], "element " + i);
            }
            assertEquals(1f, back[0]);
            // computing in bf16: the product is rounded to bf16 again
            NDArray product = bf16.mul(bf16);
            assertTrue(BFloat16.is(product));
            assertFalse(BFloat16.is(product.toType(DataType.FLOAT32, false)));
        }
    }

    @Test
    void roundIntoAndZerosKeepBFloat16() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zeros = BFloat16.zeros(m, new Shape(2, 3), DataType.BFLOAT16);
            assertTrue(BFloat16.is(zeros));
            NDArray filled = BFloat16.roundInto(zeros, m.create(new float[] {1, 2, 3, 4, 5, 6.01f}, new Shape(2, 3)));
            assertTrue(BFloat16.is(filled));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, filled.toType(DataType.FLOAT32, false).toFloatArray());
            filled.addi(m.create(1f)); // an ordinary tensor: in-place ops work
            assertEquals(7f, filled.get(1, 2).toType(DataType.FLOAT32, false).getFloat());
        }
    }

    @Test
    void bf16WeightsAreMappedViewsWithTheCheckpointsValues() {
        try (NDManager m = NDManager.newBaseManager(); ModelWeights weights = ModelWeights.open(TINY)) {
            for (String name : new String[] {"model.language_model.embed_tokens.weight",
                    "model.visual.patch_embed.proj.weight", "lm_head.weight", "model.language_model.norm.weight"}) {
                NDArray mapped = weights.load(name, m, DataType.BFLOAT16);
                NDArray exact = weights.load(name, m, DataType.FLOAT32); // bf16 → float32 is exact
                assertTrue(BFloat16.is(mapped), name);
                assertEquals(exact.getShape(), mapped.getShape(), name);
                assertEquals(name, mapped.getName());
                assertArrayEquals(exact.toFloatArray(), mapped.toType(DataType.FLOAT32, false).toFloatArray(), name);
            }
            // the staged path (GPUs) converts instead of mapping, to the same values
            NDArray staged = weights.load("lm_head.weight", m, DataType.BFLOAT16, false);
            assertArrayEquals(weights.load("lm_head.weight", m, DataType.FLOAT32).toFloatArray(),
                    staged.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    private static short roundToBf16(float f) {
        int bits = Float.floatToIntBits(f);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
