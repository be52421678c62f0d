package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsShardTest {

    @TempDir
    Path dir;

    private Path sample() throws IOException {
        Path file = dir.resolve("sample.safetensors");
        new SafetensorsFiles()
                .add("a.weight", SafetensorsDtype.BF16, new float[] {1, -2, 0.5f, 3, 4, 5}, 2, 3)
                .add("b.bias", SafetensorsDtype.F32, new float[] {7.25f}, 1)
                .add("c.scale", SafetensorsDtype.F16, new float[] {0.125f})
                .write(file);
        return file;
    }

    @Test
    void readsHeaderAndData() throws IOException {
        try (SafetensorsShard shard = SafetensorsShard.open(sample())) {
            assertEquals(List.of("a.weight", "b.bias", "c.scale"), List.copyOf(shard.tensors().keySet()));
            assertEquals("pt", shard.metadata().get("format"));
            TensorInfo a = shard.info("a.weight");
            assertEquals(SafetensorsDtype.BF16, a.dtype());
            assertEquals(List.of(2L, 3L), a.shape());
            assertEquals(6, a.elementCount());
            assertEquals(12, a.bytes());
            ByteBuffer mapped = shard.map(a);
            assertEquals(12, mapped.remaining());
            assertEquals(ByteOrder.LITTLE_ENDIAN, mapped.order());
            assertEquals(-2f, Float16.bf16ToFloat(mapped.getShort(2)));

            ByteBuffer read = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            shard.read(shard.info("b.bias"), 0, read);
            assertEquals(7.25f, read.getFloat(0));
            assertEquals(List.of(), shard.info("c.scale").shape(), "a scalar has an empty shape");
            assertEquals(1, shard.info("c.scale").elementCount());
            assertEquals(0.125f, Float16.halfToFloat(shard.map(shard.info("c.scale")).getShort(0)));
        }
    }

    @Test
    void refusesRangesOutsideTheTensor() throws IOException {
        try (SafetensorsShard shard = SafetensorsShard.open(sample())) {
            TensorInfo b = shard.info("b.bias");
            assertThrows(IndexOutOfBoundsException.class, () -> shard.map(b, 2, 4));
        }
    }

    @Test
    void truncatedFileNamesTheFileAndTheFix() throws IOException {
        Path file = sample();
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertTrue(e.getMessage().startsWith(file + " is truncated: tensor 'c.scale' ends at byte " + size
                + ", but the file has only " + (size - 1) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("download the file again"), e.getMessage());
    }

    @Test
    void fileCutInsideTheHeaderIsTruncated() throws IOException {
        Path file = sample();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(20);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertTrue(e.getMessage().startsWith(file + " is truncated: the header needs"), e.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertEquals(file + " is not a valid safetensors file: it has only 0 bytes, fewer than the 8-byte header "
                + "length. Download the file again from the model repository.", e.getMessage());
    }

    @Test
    void otherFileFormatsAreRejected() throws IOException {
        Path file = dir.resolve("weights.bin");
        Files.write(file, "PK\u0003\u0004 this is a zip, as pytorch_model.bin files are".getBytes(
                StandardCharsets.ISO_8859_1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertTrue(e.getMessage().startsWith(file + " is not a valid safetensors file: its first 8 bytes give a "
                + "header length of"), e.getMessage());
    }

    @Test
    void headerThatIsNotJsonIsRejected() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        writeRaw(file, "{\"a\": [1, 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertTrue(e.getMessage().startsWith(file + " is not a valid safetensors file: its header is not valid JSON"),
                e.getMessage());
    }

    @Test
    void sizeThatDisagreesWithShapeIsRejected() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        writeRaw(file, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertTrue(e.getMessage().contains("tensor 'w' has 12 bytes of data, but its shape [2, 2] of F32 needs 16"),
                e.getMessage());
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        writeRaw(file, "{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsShard.open(file));
        assertTrue(e.getMessage().contains("tensor 'w' has unknown dtype \"F128\""), e.getMessage());
    }

    private static void writeRaw(Path file, String header) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Files.write(file, b.array());
    }
}
