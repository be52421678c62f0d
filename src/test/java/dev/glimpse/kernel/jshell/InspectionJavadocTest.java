package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Javadoc in inspection replies, from the JDK's sources and from sources jars of classpath libraries. */
class InspectionJavadocTest {

    private static final String GREETER = "package demo;\n"
            + "/** Greets people. */\n"
            + "public class Greeter {\n"
            + "    /**\n"
            + "     * Says hello to someone, politely.\n"
            + "     * @param name who to greet, such as {@code \"Ada\"}\n"
            + "     * @return the greeting\n"
            + "     */\n"
            + "    public static String hello(String name) { return \"hello \" + name; }\n"
            + "}\n";

    @Test
    void jdkClassesShowTheirJavadocWhenTheJdkHasItsSources() {
        Path sources = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        assumeTrue(Files.isReadable(sources), "this JDK has no " + sources
                + " (on Debian: apt install openjdk-17-source); inspection shows signatures only");
        try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults())) {
            Inspection inspection = evaluator.inspect("String", 6, 0).orElseThrow();
            assertTrue(inspection.plainText().contains("The String class represents character strings."),
                    inspection.plainText());
            assertTrue(inspection.html().contains("The <code>String</code> class represents character strings."),
                    inspection.html());
        }
    }

    /**
     * JShell's background indexer once raced with classpath changes made right after creation, and the compiler lost
     * the added jar for good in about half of the evaluators (JDK 25, large classpath). Several tries make a
     * regression show.
     */
    @Test
    void jarsAddedRightAfterCreationStayVisibleToTheCompiler(@TempDir Path dir) throws IOException {
        Path jar = TestJars.compile(dir, "demo.Greeter", GREETER);
        for (int attempt = 1; attempt <= 5; attempt++) {
            try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults())) {
                evaluator.addToClasspath(jar);
                String code = "demo.Greeter.hello(";
                assertTrue(evaluator.inspect(code, code.length(), 0).isPresent(), "attempt " + attempt);
            }
        }
    }

    @Test
    void librariesShowTheirJavadocFromASourcesJar(@TempDir Path dir) throws IOException {
        Path jar = TestJars.compile(dir, "demo.Greeter", GREETER);
        Path sourcesJar = dir.resolve("greeter-sources.jar");
        try (OutputStream out = Files.newOutputStream(sourcesJar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry("demo/Greeter.java"));
            zip.write(GREETER.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        EvaluatorOptions options = EvaluatorOptions.defaults().withClasspath(jar).withSourcePath(sourcesJar);
        try (JShellEvaluator evaluator = JShellEvaluator.create(options)) {
            String code = "demo.Greeter.hello(";
            Inspection inspection = evaluator.inspect(code, code.length(), 0).orElseThrow();

            assertTrue(inspection.plainText().startsWith("String demo.Greeter.hello(String name)"),
                    inspection.plainText());
            assertTrue(inspection.plainText().contains("Says hello to someone, politely."), inspection.plainText());
            assertTrue(inspection.plainText().contains("name - who to greet, such as \"Ada\""),
                    inspection.plainText());
            assertTrue(inspection.html().contains("<code>&quot;Ada&quot;</code>")
                    || inspection.html().contains("<code>\"Ada\"</code>"), inspection.html());
        }
    }
}
