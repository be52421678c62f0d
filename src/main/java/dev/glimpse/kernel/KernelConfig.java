package dev.glimpse.kernel;

import dev.glimpse.kernel.history.HistoryStore;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kernel settings from the environment. Each {@code GLIMPSE_*} variable also answers to its IJava ({@code IJAVA_*})
 * and JJava ({@code JJAVA_*}) name, so existing kernelspecs and habits carry over.
 *
 * @param classpath          extra classpath entries (globs allowed), from {@code GLIMPSE_CLASSPATH}
 * @param startupScriptPaths .jsh files run at start, from {@code GLIMPSE_STARTUP_SCRIPTS_PATH}
 * @param startupScript      code run at start, from {@code GLIMPSE_STARTUP_SCRIPT}
 * @param timeoutMillis      a cell running longer is interrupted; -1 for no limit ({@code GLIMPSE_TIMEOUT})
 * @param compilerOptions    extra javac options for cells ({@code GLIMPSE_COMPILER_OPTS})
 * @param loadExtensions     whether to load extensions from the classpath ({@code GLIMPSE_LOAD_EXTENSIONS})
 * @param historyFile        where the history of all sessions is kept ({@code GLIMPSE_HISTORY})
 */
public record KernelConfig(List<String> classpath, List<Path> startupScriptPaths, String startupScript,
                           long timeoutMillis, List<String> compilerOptions, boolean loadExtensions,
                           Path historyFile) {

    /** Reads the settings from the process environment. */
    public static KernelConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the settings from the given environment. */
    public static KernelConfig from(Map<String, String> env) {
        String timeout = get(env, "TIMEOUT");
        long timeoutMillis;
        try {
            timeoutMillis = timeout == null || timeout.isBlank() ? -1 : Long.parseLong(timeout.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GLIMPSE_TIMEOUT must be a number of milliseconds (or -1), was '"
                    + timeout + "'");
        }
        String load = get(env, "LOAD_EXTENSIONS");
        String history = get(env, "HISTORY");
        return new KernelConfig(
                split(get(env, "CLASSPATH")),
                split(get(env, "STARTUP_SCRIPTS_PATH")).stream().map(Path::of).toList(),
                get(env, "STARTUP_SCRIPT"),
                timeoutMillis,
                get(env, "COMPILER_OPTS") == null ? List.of()
                        : List.of(get(env, "COMPILER_OPTS").trim().split("\\s+")),
                load == null || !(load.equals("0") || load.equalsIgnoreCase("false")),
                history == null ? HistoryStore.defaultFile() : Path.of(history));
    }

    private static String get(Map<String, String> env, String suffix) {
        for (String prefix : new String[]{"GLIMPSE_", "IJAVA_", "JJAVA_"}) {
            String value = env.get(prefix + suffix);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
        }
        return parts;
    }
}
