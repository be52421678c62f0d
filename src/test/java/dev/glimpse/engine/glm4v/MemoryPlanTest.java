package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan made before loading, and the refusal that replaces an OOM kill. */
class MemoryPlanTest {

    private static final Path TINY = Path.of("models", "glimpse-tiny");
    private static final long GB = 1_000_000_000L;

    @Test
    void fullSizeInFloat32IsRefusedOnA24GbMachineAndBFloat16IsMapped() {
        long params = 10_292_777_472L; // GLM-4.6V-Flash
        MemoryPlan fp32 = new MemoryPlan(params * 4, false, MemoryPlan.WORKING_BYTES, 23 * GB, "float32", "cpu");
        assertEquals(MemoryPlan.Verdict.REFUSE, fp32.verdict());
        String message = fp32.message(Path.of("/models/GLM-4.6V-Flash"));
        assertTrue(message.contains("43.3 GB in float32") && message.contains("23.0 GB available")
                && message.contains("--dtype bfloat16") && message.contains("--model http"), message);

        MemoryPlan bf16 = new MemoryPlan(params * 2, true, MemoryPlan.WORKING_BYTES, 23 * GB, "bfloat16", "cpu");
        assertEquals(MemoryPlan.Verdict.TIGHT, bf16.verdict(), "20.6 GB mapped + 2.1 GB in 23 GB");
        assertTrue(bf16.message(Path.of("m")).contains("may be slow"));
        assertEquals(MemoryPlan.Verdict.FITS, new MemoryPlan(params * 2, true, MemoryPlan.WORKING_BYTES, 64 * GB,
                "bfloat16", "cpu").verdict());
        // a GPU has no page cache to fall back on: bf16 weights are copied there
        MemoryPlan gpu = new MemoryPlan(params * 2, false, MemoryPlan.WORKING_BYTES, 16 * GB, "bfloat16", "gpu");
        assertEquals(MemoryPlan.Verdict.REFUSE, gpu.verdict());
        assertTrue(gpu.message(Path.of("m")).contains("GPU has 16.0 GB available"), gpu.message(Path.of("m")));
    }

    @Test
    void loadingIsRefusedBeforeAnyWeightIsReadWhenMemoryIsShort() {
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class, () -> Glm4vModel.load(TINY,
                Glm4vModel.Options.DEFAULT.withDtype(DataType.FLOAT32).withAvailableMemoryBytes(GB)));
        assertEquals(MemoryPlan.Verdict.REFUSE, e.plan().verdict());
        assertTrue(e.getMessage().contains("glimpse-tiny") && e.getMessage().contains("in float32")
                && e.getMessage().contains("1.0 GB available") && e.getMessage().contains("--dtype bfloat16"),
                e.getMessage());
    }

    @Test
    void aTightPlanStillLoads() {
        // glimpse-tiny: 0.08 GB of float32 weights + 2.1 GB working memory, in 2.3 GB: fits, but above 85 %
        long available = MemoryPlan.WORKING_BYTES + 200_000_000L;
        try (Glm4vModel model = Glm4vModel.load(TINY, Glm4vModel.Options.DEFAULT.withDtype(DataType.FLOAT32)
                .withAvailableMemoryBytes(available))) {
            assertEquals("float32", model.info().dtype());
            // said where the user sees it (the cell, the CLI), not only in a log
            assertEquals(1, model.info().warnings().size(), model.info().warnings().toString());
            assertTrue(model.info().warnings().get(0).contains("may be slow"), model.info().warnings().get(0));
        }
        MemoryPlan plan = Glm4vModel.plan(ModelDirectory.open(TINY), ai.djl.Device.cpu(), DataType.FLOAT32, available);
        assertEquals(MemoryPlan.Verdict.TIGHT, plan.verdict());
    }

    @Test
    void meminfoIsReadInBytes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        java.nio.file.Files.writeString(meminfo, "MemTotal:       24000000 kB\nMemAvailable:   22000000 kB\n");
        assertEquals(22_000_000L * 1024, MemoryPlan.meminfo(meminfo, "MemAvailable:").getAsLong());
        Path max = dir.resolve("memory.max");
        Path current = dir.resolve("memory.current");
        java.nio.file.Files.writeString(max, "max\n");
        java.nio.file.Files.writeString(current, "100\n");
        assertTrue(MemoryPlan.cgroupLimit(max, current).isEmpty());
        java.nio.file.Files.writeString(max, "1000\n");
        assertEquals(900, MemoryPlan.cgroupLimit(max, current).getAsLong());
    }
}
