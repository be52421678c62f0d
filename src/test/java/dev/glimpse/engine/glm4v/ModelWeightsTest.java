package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWeightsTest {

    @TempDir
    Path dir;

    // more elements than one conversion chunk, so the chunked copy into the array is exercised
    private final float[] big = SafetensorsFiles.values(ModelWeights.CHUNK_ELEMENTS + 4098, 11);
    private final float[] small = SafetensorsFiles.values(12, 12);
    private final float[] bias = SafetensorsFiles.values(5, 13);

    @BeforeEach
    void writeShardedModel() throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        new SafetensorsFiles()
                .add("model.language_model.embed_tokens.weight", SafetensorsDtype.BF16, big, big.length / 7, 7)
                .add("model.visual.blocks.0.norm1.weight", SafetensorsDtype.F16, bias, 5)
                .write(dir.resolve("model-00001-of-00002.safetensors"))
                .forEach(n -> map.put(n, "model-00001-of-00002.safetensors"));
        new SafetensorsFiles()
                .add("lm_head.weight", SafetensorsDtype.BF16, small, 3, 2, 2)
                .add("model.visual.blocks.0.attn.proj.weight", SafetensorsDtype.F32, small, 4, 3)
                .write(dir.resolve("model-00002-of-00002.safetensors"))
                .forEach(n -> map.put(n, "model-00002-of-00002.safetensors"));
        SafetensorsFiles.writeIndex(dir, map);
    }

    private static float[] bf16(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = SafetensorsFiles.bf16Round(v[i]);
        }
        return out;
    }

    private static float[] viaHalf(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float16.halfToFloat(Float16.floatToHalf(v[i]));
        }
        return out;
    }

    @Test
    void loadsBf16AsFloat32AcrossShardsWithShape() {
        try (ModelWeights weights = ModelWeights.open(dir); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(4, weights.names().size());
            NDArray embed = weights.load("model.language_model.embed_tokens.weight", manager, DataType.FLOAT32);
            assertEquals(new Shape(big.length / 7, 7), embed.getShape());
            assertEquals(DataType.FLOAT32, embed.getDataType());
            assertEquals("model.language_model.embed_tokens.weight", embed.getName());
            assertArrayEquals(bf16(big), embed.toFloatArray());

            NDArray head = weights.load("lm_head.weight", manager);
            assertEquals(new Shape(3, 2, 2), head.getShape());
            assertEquals(DataType.FLOAT32, head.getDataType(), "CPU default is float32");
            assertArrayEquals(bf16(small), head.toFloatArray());
        }
    }

    @Test
    void loadsAsFloat16() {
        try (ModelWeights weights = ModelWeights.open(dir); NDManager manager = NDManager.newBaseManager()) {
            NDArray embed = weights.load("model.language_model.embed_tokens.weight", manager, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, embed.getDataType());
            assertArrayEquals(viaHalf(bf16(big)), embed.toType(DataType.FLOAT32, false).toFloatArray());
            NDArray f32 = weights.load("model.visual.blocks.0.attn.proj.weight", manager, DataType.FLOAT16);
            assertArrayEquals(viaHalf(small), f32.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void halfAndFloatTensorsPassThrough() {
        try (ModelWeights weights = ModelWeights.open(dir); NDManager manager = NDManager.newBaseManager()) {
            NDArray norm = weights.load("model.visual.blocks.0.norm1.weight", manager, DataType.FLOAT32);
            assertArrayEquals(viaHalf(bias), norm.toFloatArray());
            NDArray proj = weights.load("model.visual.blocks.0.attn.proj.weight", manager, DataType.FLOAT32);
            assertArrayEquals(small, proj.toFloatArray());
        }
    }

    @Test
    void stagedCopyForOtherDevicesGivesTheSameValues() {
        try (ModelWeights weights = ModelWeights.open(dir); NDManager manager = NDManager.newBaseManager()) {
            for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                NDArray embed = weights.load("model.language_model.embed_tokens.weight", manager, dtype, false);
                assertEquals(new Shape(big.length / 7, 7), embed.getShape());
                float[] expected = dtype == DataType.FLOAT32 ? bf16(big) : viaHalf(bf16(big));
                assertArrayEquals(expected, embed.toType(DataType.FLOAT32, false).toFloatArray());
            }
        }
    }

    @Test
    void readsFloatsIntoJava() {
        try (ModelWeights weights = ModelWeights.open(dir)) {
            assertArrayEquals(bf16(big), weights.readFloats("model.language_model.embed_tokens.weight"));
        }
    }

    @Test
    void mappedReadsGiveTheSameValues() {
        try (ModelWeights weights = new ModelWeights(SafetensorsIndex.open(dir), ModelWeights.ReadMode.MAP)) {
            assertArrayEquals(bf16(big), weights.readFloats("model.language_model.embed_tokens.weight"));
        }
    }

    @Test
    void missingTensorNamesTheTensorAndTheFilesSearched() {
        try (ModelWeights weights = ModelWeights.open(dir)) {
            assertFalse(weights.contains("model.visual.blocks.0.norm2.weight"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> weights.info("model.visual.blocks.0.norm2.weight"));
            assertEquals("No tensor named 'model.visual.blocks.0.norm2.weight' in " + dir + " (searched "
                    + "model.safetensors.index.json → model-00001-of-00002.safetensors, "
                    + "model-00002-of-00002.safetensors). Closest names: model.visual.blocks.0.norm1.weight, "
                    + "model.visual.blocks.0.attn.proj.weight, model.language_model.embed_tokens.weight. "
                    + "Is this a GLM-4V checkpoint in transformers' layout?", e.getMessage());
        }
    }

    @Test
    void unsupportedTargetTypeIsRefused() {
        try (ModelWeights weights = ModelWeights.open(dir); NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> weights.load("lm_head.weight", manager, DataType.INT8));
            assertTrue(e.getMessage().startsWith("Weights load as FLOAT32 or FLOAT16, not int8"), e.getMessage());
        }
    }

    @Test
    void singleFileModel() throws IOException {
        Path single = Files.createDirectory(dir.resolve("single"));
        new SafetensorsFiles().add("w", SafetensorsDtype.BF16, small, 12).write(single.resolve("model.safetensors"));
        try (ModelWeights weights = ModelWeights.open(single); NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(bf16(small), weights.load("w", manager).toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> weights.info("v"));
            assertTrue(e.getMessage().startsWith("No tensor named 'v' in " + single + " (searched model.safetensors)"),
                    e.getMessage());
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelWeights.open(dir));
        assertEquals("model.safetensors.index.json in " + dir + " lists 1 shard file(s) that are missing: "
                + "model-00002-of-00002.safetensors. The download is incomplete; download the missing files into "
                + dir + ".", e.getMessage());
    }

    @Test
    void indexThatDisagreesWithAShardIsNamed() throws IOException {
        SafetensorsFiles.writeIndex(dir, Map.of("lm_head.weight", "model-00001-of-00002.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelWeights.open(dir));
        assertTrue(e.getMessage().contains("places tensor 'lm_head.weight' in model-00001-of-00002.safetensors, but "
                + "that file's header does not list it"), e.getMessage());
    }

    @Test
    void directoryWithoutWeights() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelWeights.open(empty));
        assertTrue(e.getMessage().startsWith("No weights in " + empty), e.getMessage());
    }
}
