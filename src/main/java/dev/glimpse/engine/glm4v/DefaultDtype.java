package dev.glimpse.engine.glm4v;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dtype a model runs in when none is chosen: bfloat16 wherever the hardware computes it natively — a GPU of
 * compute capability 8.0 or later (Ampere on), a CPU with AMX-BF16 or AVX512-BF16 (libtorch's oneDNN kernels then
 * run bf16 matmuls at least as fast as float32 ones, and read half the bytes) — else float16 on older GPUs and
 * float32 on other CPUs. bf16 keeps float32's range (GLM-4 models are reported to overflow float16) at half its
 * memory, and it is what the checkpoints are stored in.
 */
public final class DefaultDtype {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private DefaultDtype() {
    }

    /** The dtype for {@code device} on this machine. */
    public static DataType forDevice(Device device) {
        if (device.isGpu()) {
            return forGpu(computeCapability(device.getDeviceId()));
        }
        return forCpu(cpuFlags(CPUINFO));
    }

    /** bf16 from compute capability 8.0 on (e.g. "86" for an RTX 3090), float16 before or when unknown. */
    static DataType forGpu(String computeCapability) {
        try {
            return Integer.parseInt(computeCapability) >= 80 ? DataType.BFLOAT16 : DataType.FLOAT16;
        } catch (NumberFormatException | NullPointerException e) {
            return DataType.FLOAT16;
        }
    }

    /** bf16 when the CPU has native bf16 dot products, float32 otherwise. */
    static DataType forCpu(Set<String> flags) {
        return flags.contains("amx_bf16") || flags.contains("avx512_bf16") ? DataType.BFLOAT16 : DataType.FLOAT32;
    }

    /** Whether this machine's CPU computes bf16 natively (read from /proc/cpuinfo; false where there is none). */
    public static boolean cpuHasBFloat16() {
        return forCpu(cpuFlags(CPUINFO)) == DataType.BFLOAT16;
    }

    /** The {@code flags} of the first processor in a /proc/cpuinfo file; empty when it cannot be read. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    private static String computeCapability(int deviceId) {
        try {
            return CudaUtils.getComputeCapability(deviceId);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
