package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bench (not a test): load throughput and peak resident memory of {@link ModelWeights}. Run through
 * {@code bench/safetensors-load}, which starts one JVM per mode so peak memory is not shared between them.
 *
 * <p>{@code generate <dir> <megabytes>} writes a bf16 sharded checkpoint; {@code run <dir> <mode> <dtype>} loads
 * every tensor and prints one tab-separated line: mode, dtype, source MB, seconds, MB/s, peak RSS growth over the
 * target bytes. Mode {@code raw} is the baseline: positional reads of the same bytes, no conversion, no arrays;
 * mode {@code touch} allocates the arrays and touches each page, the page-fault floor of any loader.
 */
public final class SafetensorsLoadBench {

    private SafetensorsLoadBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]));
        } else {
            run(Path.of(args[1]), args[2], DataType.valueOf(args[3]));
        }
    }

    private static void generate(Path dir, int megabytes) throws IOException {
        Files.createDirectories(dir);
        int perTensor = 16 << 20; // elements: 32 MB of bf16, like a decoder layer's projection
        int tensors = Math.max(1, (megabytes << 20) / (perTensor * 2));
        int perShard = (tensors + 1) / 2;
        Map<String, String> map = new LinkedHashMap<>();
        float[] values = SafetensorsFiles.values(perTensor, 1);
        for (int shard = 0; shard * perShard < tensors; shard++) {
            String file = String.format("model-%05d-of-00002.safetensors", shard + 1);
            SafetensorsFiles f = new SafetensorsFiles();
            for (int i = shard * perShard; i < Math.min(tensors, (shard + 1) * perShard); i++) {
                f.add("model.language_model.layers." + i + ".mlp.down_proj.weight", SafetensorsDtype.BF16, values,
                        4096, perTensor / 4096);
            }
            f.write(dir.resolve(file)).forEach(n -> map.put(n, file));
        }
        SafetensorsFiles.writeIndex(dir, map);
    }

    private static void run(Path dir, String mode, DataType dtype) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
             SafetensorsIndex index = SafetensorsIndex.open(dir)) {
            manager.create(new float[] {1f}).add(1f).close(); // engine loaded before the baseline is taken
            long baseline = status("VmRSS");
            Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // reset the peak (VmHWM) to now
            long sourceBytes = index.totalBytes();
            long targetBytes = index.totalElements() * dtype.getNumOfBytes();
            List<NDArray> kept = new ArrayList<>();
            long t0 = System.nanoTime();
            if (mode.equals("raw")) {
                ByteBuffer buf = ByteBuffer.allocateDirect(ModelWeights.CHUNK_ELEMENTS * 4);
                for (String name : index.names()) {
                    TensorInfo t = index.info(name);
                    for (long from = 0; from < t.bytes(); from += buf.capacity()) {
                        buf.clear().limit((int) Math.min(buf.capacity(), t.bytes() - from));
                        index.shardOf(name).read(t, from, buf);
                    }
                }
            } else if (mode.equals("touch")) {
                // the floor for any loader: allocate the target arrays and touch every page once
                for (String name : index.names()) {
                    NDArray array = manager.create(new ai.djl.ndarray.types.Shape(index.info(name).dims()), dtype);
                    ByteBuffer memory = array.toByteBuffer(true);
                    for (int p = 0; p < memory.capacity(); p += 4096) {
                        memory.put(p, (byte) 1);
                    }
                    kept.add(array);
                }
            } else {
                ModelWeights weights = new ModelWeights(index, ModelWeights.ReadMode.valueOf(mode.toUpperCase()));
                for (String name : index.names()) {
                    kept.add(weights.load(name, manager, dtype));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = status("VmHWM");
            double growth = mode.equals("raw") ? Double.NaN : (double) (peak - baseline) / targetBytes;
            System.out.printf("%s\t%s\t%.0f\t%.3f\t%.0f\t%.3f%n", mode, dtype, sourceBytes / 1e6, seconds,
                    sourceBytes / 1e6 / seconds, growth);
            kept.forEach(NDArray::close);
        }
    }

    // a /proc/self/status field in bytes
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
