package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.protocol.Header;
import dev.glimpse.kernel.protocol.Json;

/** The content of {@code kernel_info_reply}: computed once, answered instantly. */
final class KernelInfo {
    static final String IMPLEMENTATION = "glimpse";

    private KernelInfo() {
    }

    static String version() {
        String version = GlimpseKernel.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static String javaVersion() {
        return Runtime.version().toString();
    }

    static String banner() {
        return "Glimpse " + version() + " :: Java " + javaVersion() + " (" + System.getProperty("java.vm.name")
                + ") :: Jupyter protocol " + Header.PROTOCOL_VERSION + "\n"
                + "Type %help for magics and the notebook API.";
    }

    static ObjectNode content() {
        ObjectNode content = Json.object();
        content.put("status", "ok");
        content.put("protocol_version", Header.PROTOCOL_VERSION);
        content.put("implementation", IMPLEMENTATION);
        content.put("implementation_version", version());
        ObjectNode language = content.putObject("language_info");
        language.put("name", "java");
        language.put("version", javaVersion());
        language.put("mimetype", "text/x-java-source");
        language.put("file_extension", ".jshell");
        language.put("pygments_lexer", "java");
        language.put("codemirror_mode", "text/x-java");
        language.put("nbconvert_exporter", "script");
        content.put("banner", banner());
        content.put("debugger", false);
        ArrayNode links = content.putArray("help_links");
        link(links, "Java " + Runtime.version().feature() + " API",
                "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/index.html");
        link(links, "JShell guide", "https://docs.oracle.com/en/java/javase/17/jshell/introduction-jshell.html");
        link(links, "Tablesaw", "https://jtablesaw.github.io/tablesaw/");
        return content;
    }

    private static void link(ArrayNode links, String text, String url) {
        ObjectNode link = links.addObject();
        link.put("text", text);
        link.put("url", url);
    }
}
