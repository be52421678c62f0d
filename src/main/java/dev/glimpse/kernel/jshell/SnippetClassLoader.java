package dev.glimpse.kernel.jshell;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader of snippet classes and of classpath entries added while the kernel runs ({@code %classpath},
 * {@code %maven}). Its parent is the kernel's class loader, and it delegates parent-first, so cells share every class
 * of the kernel classpath with the kernel itself (one copy of DJL and its native library per JVM).
 */
final class SnippetClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

    SnippetClassLoader(ClassLoader parent) {
        super("glimpse-snippets", new URL[0], parent);
    }

    /** Makes a class defineable by name; it is defined when first loaded. */
    void declare(String binaryName, byte[] bytecode) {
        declared.put(binaryName, bytecode);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytecode = declared.get(name);
        if (bytecode == null) {
            return super.findClass(name);
        }
        return defineClass(name, bytecode, 0, bytecode.length);
    }

    /**
     * The value of a top-level variable of the cells: the static field of that name in the newest snippet wrapper
     * class that declares it (a redeclared variable lives in a new wrapper class), or empty.
     */
    java.util.Optional<Object> variableValue(String name) {
        java.util.List<String> wrappers = declared.keySet().stream()
                .filter(n -> n.startsWith(WRAPPER_PREFIX))
                .sorted(java.util.Comparator.comparingLong(SnippetClassLoader::wrapperNumber).reversed())
                .toList();
        for (String wrapper : wrappers) {
            try {
                java.lang.reflect.Field field = loadClass(wrapper).getDeclaredField(name);
                boolean readable = java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.trySetAccessible();
                return readable ? java.util.Optional.ofNullable(field.get(null)) : java.util.Optional.empty();
            } catch (NoSuchFieldException | ClassNotFoundException | IllegalAccessException | LinkageError e) {
                // not this wrapper
            }
        }
        return java.util.Optional.empty();
    }

    private static final String WRAPPER_PREFIX = "REPL.$JShell$";

    private static long wrapperNumber(String name) {
        String digits = name.substring(WRAPPER_PREFIX.length()).replaceAll("\\D.*", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /** Snippet class files are readable as resources, for libraries that read bytecode (serialization, ASM). */
    @Override
    public InputStream getResourceAsStream(String name) {
        if (name.endsWith(".class")) {
            byte[] bytecode = declared.get(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            if (bytecode != null) {
                return new ByteArrayInputStream(bytecode);
            }
        }
        return super.getResourceAsStream(name);
    }

    @Override
    protected void addURL(URL url) {
        super.addURL(url);
    }
}
