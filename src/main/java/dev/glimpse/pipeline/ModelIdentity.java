package dev.glimpse.pipeline;

import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.ModelLocation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which model answered, precisely enough that a results file never hands back another model's answers: for an
 * endpoint its URL and served name ({@code http://gpu:8000/v1 glm-4.6v}); for a model directory its name and a
 * fingerprint of its files ({@code glimpse-tiny@3f9a…}).
 *
 * <p>The fingerprint hashes, for each file of the directory (sorted by name): its name, its size, and its first and
 * last {@value #SAMPLE_BYTES} bytes. That reads 2 MiB per weight file instead of gigabytes, and changes when weights
 * are retrained or swapped (sizes, safetensors headers, the data at either end), when the config or tokenizer
 * changes, or when a file is added or removed.
 */
public final class ModelIdentity {

    static final int SAMPLE_BYTES = 1 << 20;

    private ModelIdentity() {
    }

    /** The identity of a loaded model. */
    public static String of(ModelInfo info) {
        if (ModelLocation.isUrl(info.source())) {
            return info.source() + " " + info.name();
        }
        Path dir;
        try {
            dir = Path.of(info.source());
        } catch (RuntimeException e) {
            return info.name() + "@" + info.source();
        }
        if (!Files.isDirectory(dir)) {
            return info.name() + "@" + info.source();
        }
        return info.name() + "@" + fingerprint(dir);
    }

    /** A SHA-256 (first 16 hex digits) over a model directory's files; see the class. */
    static String fingerprint(Path dir) {
        MessageDigest sha = sha256();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return "unreadable";
        }
        ByteBuffer buffer = ByteBuffer.allocate(SAMPLE_BYTES);
        for (Path f : files) {
            try (FileChannel channel = FileChannel.open(f)) {
                long size = channel.size();
                sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(ByteBuffer.allocate(Long.BYTES).putLong(0, size));
                sample(channel, 0, buffer, sha);
                if (size > SAMPLE_BYTES) {
                    sample(channel, Math.max(SAMPLE_BYTES, size - SAMPLE_BYTES), buffer, sha);
                }
            } catch (IOException e) {
                sha.update(("unreadable " + f.getFileName()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static void sample(FileChannel channel, long from, ByteBuffer buffer, MessageDigest sha)
            throws IOException {
        buffer.clear();
        long at = from;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        buffer.flip();
        sha.update(buffer);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
