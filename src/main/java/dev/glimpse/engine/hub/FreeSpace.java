package dev.glimpse.engine.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many bytes can still be written in a directory: the file system's answer, or a test's. */
@FunctionalInterface
public interface FreeSpace {

    /** The file store's usable space, asked of the nearest existing ancestor of {@code directory}. */
    FreeSpace FILE_STORE = directory -> {
        Path p = directory.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return Long.MAX_VALUE;
        }
        return Files.getFileStore(p).getUsableSpace();
    };

    long usableBytes(Path directory) throws IOException;
}
