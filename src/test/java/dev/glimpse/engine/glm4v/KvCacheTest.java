package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KvCacheTest {

    @Test
    void appendedTokensAreReadBackInOrderAcrossGrowth() {
        try (NDManager manager = NDManager.newBaseManager();
             KvCache cache = new KvCache(manager, 2, 2, 3, 4, DataType.FLOAT32)) {
            NDArray k1 = TestTensors.random(manager, 31, 1.0, 2, 3, 3);
            NDArray v1 = TestTensors.random(manager, 32, 1.0, 2, 3, 3);
            cache.reserve(3);
            for (int layer = 0; layer < 2; layer++) {
                cache.append(layer, k1, v1);
            }
            cache.advance(3);
            // 3 + 2 > 4 slots: the buffers grow and keep the first three tokens
            NDArray k2 = TestTensors.random(manager, 33, 1.0, 2, 2, 3);
            NDArray v2 = TestTensors.random(manager, 34, 1.0, 2, 2, 3);
            cache.reserve(2);
            assertEquals(4 + KvCache.GROWTH_TOKENS, cache.capacity());
            NDArray[] stored = cache.append(1, k2, v2);
            assertEquals(new Shape(2, 5, 3), stored[0].getShape());
            assertArrayEquals(k1.concat(k2, 1).toFloatArray(), stored[0].toFloatArray());
            assertArrayEquals(v1.concat(v2, 1).toFloatArray(), stored[1].toFloatArray());
        }
    }

    @Test
    void appendingPastTheReservationIsAnError() {
        try (NDManager manager = NDManager.newBaseManager();
             KvCache cache = new KvCache(manager, 1, 1, 2, 2, DataType.FLOAT32)) {
            NDArray k = manager.zeros(new Shape(1, 3, 2));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.append(0, k, k));
            assertEquals("KV cache full: reserve(3) before the forward pass", e.getMessage());
        }
    }
}
