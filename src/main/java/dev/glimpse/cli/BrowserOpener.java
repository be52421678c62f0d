package dev.glimpse.cli;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Opens a page in the user's browser with the desktop's own opener command. */
interface BrowserOpener {

    /**
     * Opens {@code page}.
     *
     * @return {@code null} when the opener was started, else why it was not (e.g. no display)
     */
    String open(URI page);

    /** The opener of this machine: {@code open} on macOS, the URL handler on Windows, {@code xdg-open} elsewhere. */
    static BrowserOpener system(Map<String, String> env) {
        return page -> {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            List<String> command;
            if (os.contains("mac")) {
                command = List.of("open", page.toString());
            } else if (os.contains("win")) {
                command = List.of("rundll32", "url.dll,FileProtocolHandler", page.toString());
            } else if (env.getOrDefault("DISPLAY", "").isEmpty() && env.getOrDefault("WAYLAND_DISPLAY", "").isEmpty()) {
                return "no display to open a browser on (DISPLAY is not set)";
            } else {
                command = List.of("xdg-open", page.toString());
            }
            try {
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                return null;
            } catch (IOException e) {
                return "could not run " + command.get(0) + " (" + e.getMessage() + ")";
            }
        };
    }
}
