package dev.glimpse.kernel.jshell;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The classpath the kernel JVM was started with ({@code java.class.path}), which cells always see. */
final class KernelClasspath {

    private KernelClasspath() {
    }

    /** The entries, as absolute normalized paths. */
    static List<Path> entries() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                try {
                    entries.add(normalized(Path.of(entry)));
                } catch (InvalidPathException ignored) {
                    // not a path this JVM can use; javac and the class loader ignore it too
                }
            }
        }
        return entries;
    }

    /** Whether {@code entry} is on the kernel classpath already, so its classes load in the kernel's loader. */
    static boolean contains(Path entry) {
        return entries().contains(normalized(entry));
    }

    private static Path normalized(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
