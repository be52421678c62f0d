package dev.glimpse.kernel.magic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Expands a class path argument into existing jars and directories. Relative paths start at the working directory,
 * {@code ~} at the home directory. Globs use Java's syntax ({@code *} within a directory, {@code **} across
 * directories, {@code ?}, {@code [..]}, <code>{a,b}</code>) and keep only jars, zips and directories.
 */
public final class ClasspathGlob {
    private ClasspathGlob() {
    }

    /** The paths {@code argument} names, sorted; empty if a glob matched nothing. */
    public static List<Path> expand(String argument, Path workingDirectory) {
        String spec = argument.equals("~") || argument.startsWith("~/")
                ? System.getProperty("user.home") + argument.substring(1) : argument;
        if (!isGlob(spec)) {
            Path path = workingDirectory.resolve(spec).toAbsolutePath().normalize();
            return Files.exists(path) ? List.of(path) : List.of();
        }
        String[] parts = spec.split("/", -1);
        int literal = 0;
        while (literal < parts.length - 1 && !isGlob(parts[literal])) {
            literal++;
        }
        String basePart = String.join("/", java.util.Arrays.copyOfRange(parts, 0, literal));
        Path base = workingDirectory.resolve(basePart.isEmpty() && spec.startsWith("/") ? "/" : basePart)
                .toAbsolutePath().normalize();
        String pattern = String.join("/", java.util.Arrays.copyOfRange(parts, literal, parts.length));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : parts.length - literal;
        try (Stream<Path> walk = Files.walk(base, depth)) {
            List<Path> found = new ArrayList<>();
            walk.filter(p -> !p.equals(base) && matcher.matches(base.relativize(p)) && isClasspathEntry(p))
                    .sorted()
                    .forEach(found::add);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + base + ": " + e.getMessage(), e);
        }
    }

    static boolean isGlob(String text) {
        return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static boolean isClasspathEntry(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isDirectory(path) || name.endsWith(".jar") || name.endsWith(".zip");
    }
}
