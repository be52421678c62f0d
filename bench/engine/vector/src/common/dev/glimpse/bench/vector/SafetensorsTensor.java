package dev.glimpse.bench.vector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one 2-D bf16 tensor of a sharded safetensors checkpoint lies: its shard, the absolute byte offset of its
 * data and its shape. Found through model.safetensors.index.json and the shard's JSON header with two regular
 * expressions (the bench stays JDK only).
 */
public record SafetensorsTensor(String name, Path shard, long offset, int rows, int cols) {

    public static SafetensorsTensor find(Path model, String name) throws IOException {
        String index = Files.readString(model.resolve("model.safetensors.index.json"));
        Matcher file = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]+)\"").matcher(index);
        if (!file.find()) {
            throw new IllegalArgumentException(name + " is not in " + model.resolve("model.safetensors.index.json"));
        }
        Path shard = model.resolve(file.group(1));
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long headerLength = len.getLong(0);
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            ch.read(header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            Matcher entry = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\\{([^}]*)}").matcher(json);
            if (!entry.find()) {
                throw new IllegalArgumentException(name + " is not in the header of " + shard);
            }
            String body = entry.group(1);
            if (!body.contains("\"BF16\"")) {
                throw new IllegalArgumentException(name + " is not bf16: " + body);
            }
            long[] shape = numbers(body, "shape");
            long[] offsets = numbers(body, "data_offsets");
            if (shape.length != 2 || offsets[1] - offsets[0] != shape[0] * shape[1] * 2) {
                throw new IllegalArgumentException(name + " is not a 2-D bf16 matrix: " + body);
            }
            return new SafetensorsTensor(name, shard, 8 + headerLength + offsets[0], (int) shape[0], (int) shape[1]);
        }
    }

    public long bytes() {
        return 2L * rows * cols;
    }

    public String shape() {
        return rows + "x" + cols;
    }

    private static long[] numbers(String body, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)]").matcher(body);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + key + " in " + body);
        }
        String[] parts = m.group(1).split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i].trim());
        }
        return out;
    }
}
