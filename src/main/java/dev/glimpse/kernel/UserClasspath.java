package dev.glimpse.kernel;

import dev.glimpse.kernel.magic.ClasspathGlob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The kernel's class path as cells see it: {@code GLIMPSE_CLASSPATH} entries, and where the sources are. */
final class UserClasspath {
    private static final Logger LOG = LoggerFactory.getLogger(UserClasspath.class);

    private UserClasspath() {
    }

    /** Expands {@code GLIMPSE_CLASSPATH} entries (globs allowed); entries that match nothing are logged. */
    static List<Path> expand(List<String> entries) {
        Path cwd = Path.of("").toAbsolutePath();
        List<Path> paths = new ArrayList<>();
        for (String entry : entries) {
            List<Path> found = ClasspathGlob.expand(entry, cwd);
            if (found.isEmpty()) {
                LOG.warn("GLIMPSE_CLASSPATH entry '{}' matches no jar or directory", entry);
            }
            paths.addAll(found);
        }
        return paths;
    }

    /**
     * The {@code -sources.jar} files beside the jars of the kernel's class path (the build puts Glimpse's own there),
     * so Shift-Tab shows the Javadoc of the notebook API.
     */
    static List<Path> sourceJars() {
        List<Path> sources = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
            if (!name.endsWith(".jar")) {
                continue;
            }
            Path candidate = jar.resolveSibling(name.substring(0, name.length() - 4) + "-sources.jar");
            if (Files.isRegularFile(candidate)) {
                sources.add(candidate);
            }
        }
        return sources;
    }
}
