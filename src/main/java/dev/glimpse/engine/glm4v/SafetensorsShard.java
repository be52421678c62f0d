package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the data. Only the header is read when opening; tensor data is read or mapped on
 * demand, one tensor at a time, so files of any size (GLM-4.6V-Flash's are 5.3 GB) work.
 *
 * <p>Opening checks the whole layout: a truncated download or a file that is not safetensors fails here with a
 * message naming the file, not later with a crash in the middle of loading.
 */
public final class SafetensorsShard implements AutoCloseable {

    /** The safetensors format caps its header at 100 MB. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsShard(Path file, FileChannel channel, long fileSize, Map<String, TensorInfo> tensors,
                             Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.fileSize = fileSize;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens a safetensors file and validates its header against the file's size. */
    public static SafetensorsShard open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Safetensors file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            long size = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 8) {
                throw malformed(file, "it has only " + size + " bytes, fewer than the 8-byte header length");
            }
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 1 || headerLength > MAX_HEADER_BYTES) {
                throw malformed(file, "its first 8 bytes give a header length of " + headerLength
                        + ", outside 2.." + MAX_HEADER_BYTES + " (not a safetensors file)");
            }
            if (8 + headerLength > size) {
                throw truncated(file, "the header needs " + (8 + headerLength) + " bytes", size);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, header.array(), 8 + headerLength, size, metadata);
            return new SafetensorsShard(file, channel, size, tensors, Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file this shard reads. */
    public Path file() {
        return file;
    }

    /** Size of the file in bytes. */
    public long fileSize() {
        return fileSize;
    }

    /** Tensors in header order, by name. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The header's free-form {@code __metadata__} (e.g. {@code format: pt}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The named tensor, or {@code null} if this file does not hold it. */
    public TensorInfo info(String name) {
        return tensors.get(name);
    }

    /**
     * Maps part of a tensor's bytes read-only, little-endian. The pages stay resident while the buffer is
     * reachable, so map a tensor (or a window of it) only for as long as it is used.
     *
     * @param tensor a tensor of this file
     * @param from   first byte within the tensor
     * @param length bytes to map, at most {@link Integer#MAX_VALUE}
     */
    public ByteBuffer map(TensorInfo tensor, long from, int length) {
        checkRange(tensor, from, length);
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, tensor.offset() + from, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot map tensor '" + tensor.name() + "' of " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Maps a whole tensor (it must be under 2 GiB; GLM-4V's largest is 1.24 GB in bf16). */
    public ByteBuffer map(TensorInfo tensor) {
        if (tensor.bytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Tensor '" + tensor.name() + "' of " + file + " has " + tensor.bytes()
                    + " bytes, too many to map at once; map it in windows with map(tensor, from, length)");
        }
        return map(tensor, 0, (int) tensor.bytes());
    }

    /**
     * Reads {@code dst.remaining()} bytes of a tensor, starting at byte {@code from} within it, into {@code dst}
     * (positional read; the file's pages go through the page cache, not into this process's memory).
     */
    public void read(TensorInfo tensor, long from, ByteBuffer dst) {
        checkRange(tensor, from, dst.remaining());
        try {
            readFully(channel, dst, tensor.offset() + from);
        } catch (EOFException e) {
            throw truncated(file, "tensor '" + tensor.name() + "' could not be read to its end (the file shrank?)",
                    fileSize);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tensor '" + tensor.name() + "' of " + file + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafetensorsShard[" + file + ", " + tensors.size() + " tensors]";
    }

    private void checkRange(TensorInfo tensor, long from, long length) {
        if (tensors.get(tensor.name()) != tensor) {
            throw new IllegalArgumentException("Tensor '" + tensor.name() + "' does not belong to " + file);
        }
        if (from < 0 || length < 0 || from + length > tensor.bytes()) {
            throw new IndexOutOfBoundsException("Bytes " + from + ".." + (from + length) + " are outside tensor '"
                    + tensor.name() + "' (" + tensor.bytes() + " bytes)");
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, byte[] header, long dataStart, long fileSize,
                                                       Map<String, String> metadata) {
        JsonNode root;
        try {
            root = ConfigJson.MAPPER.readTree(new String(header, StandardCharsets.UTF_8).stripTrailing());
        } catch (IOException e) {
            throw malformed(file, "its header is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
        if (root == null || !root.isObject()) {
            throw malformed(file, "its header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        long dataEnd = dataStart;
        String lastTensor = null;
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode entry = e.getValue();
            if (name.equals("__metadata__")) {
                entry.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            TensorInfo info = parseEntry(file, name, entry, dataStart);
            tensors.put(name, info);
            if (info.offset() + info.bytes() > dataEnd) {
                dataEnd = info.offset() + info.bytes();
                lastTensor = name;
            }
        }
        if (dataEnd > fileSize) {
            throw truncated(file, "tensor '" + lastTensor + "' ends at byte " + dataEnd, fileSize);
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode entry, long dataStart) {
        JsonNode dtypeNode = entry.get("dtype");
        JsonNode shapeNode = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray()
                || offsets.size() != 2) {
            throw malformed(file, "header entry '" + name + "' lacks dtype, shape or data_offsets [begin, end]");
        }
        SafetensorsDtype dtype = SafetensorsDtype.fromCode(dtypeNode.asText());
        if (dtype == null) {
            throw malformed(file, "tensor '" + name + "' has unknown dtype " + dtypeNode);
        }
        List<Long> shape = new ArrayList<>();
        long count = 1;
        for (JsonNode d : shapeNode) {
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw malformed(file, "tensor '" + name + "' has an invalid shape " + shapeNode);
            }
            shape.add(d.asLong());
            try {
                count = Math.multiplyExact(count, d.asLong());
            } catch (ArithmeticException e) {
                throw malformed(file, "tensor '" + name + "' has an impossibly large shape " + shapeNode);
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong() || begin < 0 || end < begin) {
            throw malformed(file, "tensor '" + name + "' has invalid data_offsets " + offsets);
        }
        if (end - begin != count * dtype.bytes()) {
            throw malformed(file, "tensor '" + name + "' has " + (end - begin) + " bytes of data, but its shape "
                    + shape + " of " + dtype + " needs " + count * dtype.bytes());
        }
        return new TensorInfo(name, dtype, shape, dataStart + begin, end - begin);
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new EOFException("end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static IllegalArgumentException malformed(Path file, String why) {
        return new IllegalArgumentException(file + " is not a valid safetensors file: " + why
                + ". Download the file again from the model repository.");
    }

    private static IllegalArgumentException truncated(Path file, String why, long size) {
        return new IllegalArgumentException(file + " is truncated: " + why + ", but the file has only " + size
                + " bytes. The download is incomplete; download the file again.");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
