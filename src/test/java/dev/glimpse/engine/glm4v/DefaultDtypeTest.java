package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultDtypeTest {

    @Test
    void bfloat16WhereTheHardwareHasIt() {
        assertEquals(DataType.BFLOAT16, DefaultDtype.forCpu(Set.of("avx512f", "avx512_bf16")));
        assertEquals(DataType.BFLOAT16, DefaultDtype.forCpu(Set.of("amx_bf16", "amx_tile")));
        assertEquals(DataType.FLOAT32, DefaultDtype.forCpu(Set.of("avx2", "avx512f")));
        assertEquals(DataType.BFLOAT16, DefaultDtype.forGpu("80"));
        assertEquals(DataType.BFLOAT16, DefaultDtype.forGpu("90"));
        assertEquals(DataType.FLOAT16, DefaultDtype.forGpu("75"));
        assertEquals(DataType.FLOAT16, DefaultDtype.forGpu(null));
    }

    @Test
    void cpuFlagsComeFromTheFirstProcessor(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu sse avx512_bf16 amx_tile\n\nprocessor\t: 1\n"
                + "flags\t\t: fpu\n");
        assertEquals(Set.of("fpu", "sse", "avx512_bf16", "amx_tile"), DefaultDtype.cpuFlags(cpuinfo));
        assertEquals(Set.of(), DefaultDtype.cpuFlags(dir.resolve("absent")));
    }

    @Test
    void namesParseAndBadOnesNameTheChoices() {
        assertEquals(DataType.BFLOAT16, DtypeChoice.parse("bf16"));
        assertEquals(DataType.BFLOAT16, DtypeChoice.parse(" BFloat16 "));
        assertEquals(DataType.FLOAT32, DtypeChoice.parse("float32"));
        assertEquals(DataType.FLOAT16, DtypeChoice.parse("fp16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DtypeChoice.parse("int8"));
        assertTrue(e.getMessage().contains("bfloat16, float32 or float16"), e.getMessage());
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> DtypeChoice.fromEnvironment("double"));
        assertTrue(env.getMessage().startsWith("GLIMPSE_DTYPE=double"), env.getMessage());
        assertTrue(DtypeChoice.fromEnvironment("").isEmpty());
        assertEquals("bfloat16", DtypeChoice.name(DataType.BFLOAT16));
    }
}
