package dev.glimpse.kernel.memory;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which notebook variables hold the heap, for the message a cell shows when it leaves the heap full.
 *
 * <p>Sizes are estimates: each variable's object graph is walked (arrays, collections, maps, and the fields of
 * classes that allow it) up to {@value #MAX_OBJECTS} objects, counting a 16-byte header per object plus its fields or
 * elements. That names the variable behind a 2 GB list of arrays without an agent or a heap dump.
 */
public final class HeapHolders {

    /** Objects visited per variable at most, to bound the time and the memory of the walk itself. */
    static final int MAX_OBJECTS = 200_000;
    private static final long HEADER = 16;

    /**
     * A variable and about how much memory its value reaches.
     *
     * @param name  the variable's name
     * @param type  its value's class, simple name
     * @param bytes estimated bytes reachable from it
     */
    public record Holder(String name, String type, long bytes) {
    }

    private HeapHolders() {
    }

    /** The variables that reach at least {@code least} bytes, largest first. */
    public static List<Holder> largest(Map<String, Object> variables, long least) {
        List<Holder> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : variables.entrySet()) {
            Object value = e.getValue();
            if (value == null) {
                continue;
            }
            long bytes;
            try {
                bytes = reachableBytes(value);
            } catch (OutOfMemoryError | RuntimeException e2) {
                continue; // no room to walk this one, or a collection that fails to iterate
            }
            if (bytes >= least) {
                out.add(new Holder(e.getKey(), value.getClass().getSimpleName(), bytes));
            }
        }
        out.sort(Comparator.comparingLong(Holder::bytes).reversed());
        return out;
    }

    /**
     * The message for a cell after which the heap stays full.
     *
     * @param usedBytes heap in use after a full collection
     * @param maxBytes  the heap's limit ({@code -Xmx})
     */
    public static String report(List<Holder> holders, long usedBytes, long maxBytes) {
        StringBuilder text = new StringBuilder("The Java heap is still full after this cell: ")
                .append(mb(usedBytes)).append(" of ").append(mb(maxBytes)).append(" in use.\n");
        if (holders.isEmpty()) {
            text.append("None of the notebook's variables holds much of it (a library, a thread or a static field "
                    + "may). Restart the kernel to free it.\n");
            return text.toString();
        }
        text.append("Held by ").append(holders.size() == 1 ? "the variable " : "the variables ");
        for (int i = 0; i < holders.size(); i++) {
            Holder h = holders.get(i);
            text.append(i == 0 ? "" : ", ").append(h.name()).append(" (").append(h.type()).append(", about ")
                    .append(mb(h.bytes())).append(')');
        }
        text.append(".\nFree it with ");
        for (int i = 0; i < holders.size(); i++) {
            text.append(i == 0 ? "" : " ").append('`').append(holders.get(i).name()).append(" = null;`");
        }
        text.append(" in the next cell, or restart the kernel. Until then new cells may run out of memory.\n");
        return text.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }

    static long reachableBytes(Object root) {
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        long total = 0;
        while (!todo.isEmpty() && seen.size() < MAX_OBJECTS) {
            Object o = todo.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            Class<?> type = o.getClass();
            if (type.isArray()) {
                int length = Array.getLength(o);
                Class<?> element = type.getComponentType();
                total += HEADER + (long) length * elementBytes(element);
                if (!element.isPrimitive()) {
                    for (Object item : (Object[]) o) {
                        todo.add(item);
                    }
                }
            } else if (o instanceof Collection<?> collection) {
                total += HEADER + 8L * collection.size();
                todo.addAll(collection);
            } else if (o instanceof Map<?, ?> map) {
                total += HEADER + 32L * map.size();
                todo.addAll(map.keySet());
                todo.addAll(map.values());
            } else if (o instanceof CharSequence text) {
                total += HEADER + 24 + text.length();
            } else {
                total += HEADER + fields(o, todo);
            }
        }
        return total;
    }

    /** The bytes of an object's own fields; queues the objects they refer to. Closed JDK classes count as a header. */
    private static long fields(Object o, Deque<Object> todo) {
        long bytes = 0;
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                bytes += f.getType().isPrimitive() ? elementBytes(f.getType()) : 8;
                if (!f.getType().isPrimitive() && f.trySetAccessible()) {
                    try {
                        todo.add(f.get(o));
                    } catch (IllegalAccessException e) {
                        // not ours to look into
                    }
                }
            }
        }
        return bytes;
    }

    private static long elementBytes(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        if (type == byte.class || type == boolean.class) {
            return 1;
        }
        return 8;
    }
}
