package dev.glimpse.engine.glm4v;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small safetensors files for tests, in the format's little-endian layout. */
final class SafetensorsFiles {

    /** One tensor to write: values are stored in {@code dtype} (rounded to nearest even for BF16 / F16). */
    record Tensor(String name, SafetensorsDtype dtype, long[] shape, float[] values) {
    }

    private final List<Tensor> tensors = new ArrayList<>();

    SafetensorsFiles add(String name, SafetensorsDtype dtype, float[] values, long... shape) {
        tensors.add(new Tensor(name, dtype, shape, values));
        return this;
    }

    /** Writes the file; returns the tensors' names. */
    List<String> write(Path file) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Tensor t : tensors) {
            long bytes = (long) t.values.length * t.dtype.bytes();
            header.append(",\"").append(t.name).append("\":{\"dtype\":\"").append(t.dtype).append("\",\"shape\":[");
            for (int i = 0; i < t.shape.length; i++) {
                header.append(i == 0 ? "" : ",").append(t.shape[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the reference writer pads the header with spaces to 8 bytes
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            head.flip();
            ch.write(head);
            for (Tensor t : tensors) {
                ByteBuffer data = ByteBuffer.allocate(t.values.length * t.dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.values) {
                    switch (t.dtype) {
                        case F32 -> data.putFloat(v);
                        case F16 -> data.putShort(Float16.floatToHalf(v));
                        case BF16 -> data.putShort(toBf16(v));
                        default -> throw new IllegalArgumentException("test writer: " + t.dtype);
                    }
                }
                data.flip();
                ch.write(data);
            }
        }
        return tensors.stream().map(Tensor::name).toList();
    }

    /** Writes an index file mapping each tensor name to its shard file name. */
    static void writeIndex(Path dir, Map<String, String> weightMap) throws IOException {
        StringBuilder sb = new StringBuilder("{\"metadata\":{\"total_size\":0},\"weight_map\":{");
        int i = 0;
        for (Map.Entry<String, String> e : new LinkedHashMap<>(weightMap).entrySet()) {
            sb.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue())
                    .append('"');
        }
        sb.append("}}");
        java.nio.file.Files.writeString(dir.resolve(SafetensorsIndex.INDEX_FILE), sb);
    }

    /** float → bfloat16 bits, rounding to nearest even (as torch does). */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** The float a value becomes after a round trip through bfloat16. */
    static float bf16Round(float v) {
        return Float16.bf16ToFloat(toBf16(v));
    }

    /** Deterministic test values spanning several magnitudes and both signs. */
    static float[] values(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 3)));
        }
        return out;
    }
}
