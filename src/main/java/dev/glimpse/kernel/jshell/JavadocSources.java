package dev.glimpse.kernel.jshell;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jdk.jshell.SourceCodeAnalysis;

/**
 * Makes JShell's documentation lookup see more sources than the JDK's.
 *
 * <p>JShell looks for Javadoc only in {@code $JAVA_HOME/lib/src.zip} (or {@code $JAVA_HOME/../src.zip}); it never
 * searches the classpath or {@code -sources.jar} files, and has no public way to add any. Its analysis object keeps
 * the source roots it found in a private list, computed at the first documentation request; this class appends to
 * that list. That needs {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}; without it the extra sources are
 * skipped with a warning and JDK Javadoc still works.
 */
final class JavadocSources implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JavadocSources.class.getName());

    private final List<Path> entries;
    private final List<FileSystem> opened = new ArrayList<>();
    private boolean applied;

    JavadocSources(List<Path> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Adds the entries to {@code analysis}'s source roots, once; later calls do nothing. */
    synchronized void applyTo(SourceCodeAnalysis analysis) {
        if (applied || entries.isEmpty()) {
            return;
        }
        applied = true;
        analysis.documentation("Object", "Object".length(), true); // makes JShell find the JDK's sources first
        try {
            Field field = analysis.getClass().getDeclaredField("availableSources");
            field.setAccessible(true);
            Object current = field.get(analysis);
            List<Path> roots = new ArrayList<>();
            if (current instanceof List<?> list) {
                for (Object root : list) {
                    roots.add((Path) root);
                }
            }
            roots.addAll(roots());
            field.set(analysis, roots);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Javadoc of " + entries + " is not shown: start the JVM with "
                    + "--add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED (" + e + ")");
        }
    }

    private List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                roots.add(entry);
            } else if (Files.isRegularFile(entry)) {
                try {
                    FileSystem jar = FileSystems.newFileSystem(entry);
                    opened.add(jar);
                    roots.add(jar.getRootDirectories().iterator().next());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot read sources from " + entry + ": " + e.getMessage());
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "source path entry " + entry + " does not exist");
            }
        }
        return roots;
    }

    @Override
    public synchronized void close() {
        for (FileSystem jar : opened) {
            try {
                jar.close();
            } catch (IOException e) {
                // closing a read-only zip file system does not lose anything
            }
        }
        opened.clear();
    }
}
