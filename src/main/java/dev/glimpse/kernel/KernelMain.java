package dev.glimpse.kernel;

import dev.glimpse.kernel.memory.HeapReserve;
import dev.glimpse.kernel.protocol.ConnectionInfo;
import dev.glimpse.kernel.protocol.KernelSockets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a kernel for a Jupyter connection file: {@code java dev.glimpse.kernel.KernelMain <connection-file>}.
 * The kernelspec runs this through the {@code glimpse kernel} launcher.
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: glimpse kernel <connection-file>\n"
                    + "Started by Jupyter through the \"Java (Glimpse)\" kernelspec; see README.md.");
            System.exit(2);
        }
        configureLogging();
        Path connectionFile = Path.of(args[0]);
        if (!Files.isReadable(connectionFile)) {
            System.err.println("Cannot read the connection file " + connectionFile
                    + ": Jupyter passes it as {connection_file}; check the kernelspec's argv.");
            System.exit(2);
        }
        HeapReserve.instance(); // taken now, while there is room: the first use may come with the heap full
        KernelConfig config = KernelConfig.fromEnvironment();
        KernelSockets sockets = new KernelSockets(ConnectionInfo.read(connectionFile));
        new GlimpseKernel(config, sockets).start();
        Thread.currentThread().join(); // the socket threads serve until shutdown_request ends the process
    }

    /**
     * Kernel logs go to the real stderr (Jupyter shows them in the server console), captured before cells'
     * {@code System.err} is redirected to the notebook.
     */
    private static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.cacheOutputStream", "true");
        String level = System.getenv("GLIMPSE_LOG_LEVEL");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level == null ? "warn" : level);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.log.ai.djl", "warn");
        org.slf4j.LoggerFactory.getLogger(KernelMain.class).debug("logging ready");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
