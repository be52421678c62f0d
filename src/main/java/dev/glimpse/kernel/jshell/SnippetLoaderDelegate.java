package dev.glimpse.kernel.jshell;

import java.io.File;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/** Loads the classes JShell compiles into a {@link SnippetClassLoader} (JShell's own delegate is not public). */
final class SnippetLoaderDelegate implements LoaderDelegate {

    private final SnippetClassLoader loader;
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();

    SnippetLoaderDelegate(SnippetClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        // declare all first: classes of one compilation may refer to each other
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), c.bytecodes());
        }
        boolean[] installed = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            String name = classes[i].name();
            try {
                Class<?> type = loader.loadClass(name);
                type.getDeclaredMethods(); // links the class, so a bad class fails here rather than mid-cell
                loaded.put(name, type);
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot load snippet class " + name + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String classpath) throws InternalException {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            try {
                Path path = Path.of(entry);
                if (KernelClasspath.contains(path)) {
                    continue; // loaded by the kernel's loader already; a second copy here would shadow nothing
                }
                loader.addURL(path.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException | RuntimeException e) {
                throw new InternalException("cannot add " + entry + " to the classpath: " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = loaded.get(name);
        return type != null ? type : loader.loadClass(name);
    }
}
