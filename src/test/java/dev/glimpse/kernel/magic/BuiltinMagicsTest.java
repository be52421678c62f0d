package dev.glimpse.kernel.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinMagicsTest {
    @TempDir
    Path dir;

    private final MagicRegistry registry = new MagicRegistry();
    private final CellRunner runner = new CellRunner(registry);
    private JShellMagicContext context;

    private JShellMagicContext context() {
        if (context == null) {
            BuiltinMagics.install(registry, new MavenResolver(MavenSettings.load().withOffline(true)), "API SUMMARY");
            context = new JShellMagicContext(dir);
        }
        return context;
    }

    @AfterEach
    void closeShell() {
        if (context != null) {
            context.close();
        }
    }

    private Object run(String cell) throws Exception {
        return runner.run(cell, context());
    }

    /** Compiles a one-class jar, so the class path magics load real bytecode. */
    private Path greeterJar(Path jar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/greet"));
        Files.writeString(src.resolve("Greeter.java"),
                "package greet; public class Greeter { public static String hi() { return \"hi from jar\"; } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), src.resolve("Greeter.java").toString()));
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("greet/Greeter.class"));
            out.write(Files.readAllBytes(classes.resolve("greet/Greeter.class")));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void classpathGlobAddsJarsThatCodeCanThenUse() throws Exception {
        Path jar = greeterJar(dir.resolve("lib/greeter.jar"));
        Files.writeString(dir.resolve("lib/README.txt"), "not a jar");
        Object value = run("%classpath lib/*\ngreet.Greeter.hi()");
        assertEquals("\"hi from jar\"", value);
        assertEquals(List.of(jar), List.copyOf(context.classpath()), "the README is not a class path entry");
        assertTrue(context.stdout().contains("Added to the class path:\n  " + jar), context.stdout());
    }

    @Test
    void jarsIsAnAliasAndTakesAbsolutePaths() throws Exception {
        Path jar = greeterJar(dir.resolve("other/g.jar"));
        run("%jars " + jar);
        assertEquals(List.of(jar), List.copyOf(context.classpath()));
    }

    @Test
    void classpathErrorsNameWhatWasMissing() {
        MagicException glob = assertThrows(MagicException.class, () -> run("%classpath nothing/*.jar"));
        assertEquals("Nothing matched nothing/*.jar in " + dir + " (a glob keeps only .jar/.zip files and"
                + " directories).", glob.getMessage());
        MagicException file = assertThrows(MagicException.class, () -> run("%classpath missing.jar"));
        assertTrue(file.getMessage().startsWith("No such file or directory: " + dir.resolve("missing.jar")),
                file.getMessage());
        MagicException none = assertThrows(MagicException.class, () -> run("%classpath"));
        assertTrue(none.getMessage().startsWith("Nothing to add"), none.getMessage());
    }

    @Test
    void loadRunsJshellFilesAndReturnsTheLastValue() throws Exception {
        Files.writeString(dir.resolve("setup.jsh"), "int base = 40;\nint twice(int x) { return 2 * x; }\nbase + 2");
        assertEquals("42", run("%load setup.jsh"));
        assertEquals("84", run("twice(base + 2)"));
    }

    @Test
    void loadDropsThePackageOfAJavaFile() throws Exception {
        Files.writeString(dir.resolve("Box.java"), """
                // a helper
                package demo.util;

                public class Box { public int size() { return 3; } }
                """);
        run("%load Box.java");
        assertEquals("3", run("new Box().size()"));
    }

    @Test
    void loadRunsNotebookCodeCellsInOrderWithMagics() throws Exception {
        Files.writeString(dir.resolve("prep.jsh"), "String greeting = \"hello\";");
        Files.writeString(dir.resolve("nb.ipynb"), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["# not code\\n", "int broken = ;"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
                   "source": ["%load prep.jsh\\n", "int n = greeting.length();"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
                   "source": "%time n * 10"}
                 ]}
                """);
        assertEquals("50", run("%load nb.ipynb"));
        assertEquals("5", run("n"));
        assertTrue(context.stdout().contains("Wall time: "), context.stdout());
    }

    @Test
    void loadNamesTheNotebookCellThatFailed() throws IOException {
        Files.writeString(dir.resolve("bad.ipynb"), """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                  {"cell_type": "code", "metadata": {}, "outputs": [], "source": "int a = 1;"},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "source": "%nosuchmagic"}]}
                """);
        MagicException e = assertThrows(MagicException.class, () -> run("%load bad.ipynb"));
        assertTrue(e.getMessage().startsWith("Code cell 2 of bad.ipynb: Unknown line magic %nosuchmagic."),
                e.getMessage());
    }

    @Test
    void loadErrorsNameTheFile() throws IOException {
        MagicException missing = assertThrows(MagicException.class, () -> run("%load nope.jsh"));
        assertTrue(missing.getMessage().startsWith("No such file: " + dir.resolve("nope.jsh")), missing.getMessage());
        Files.writeString(dir.resolve("data.csv"), "a,b");
        MagicException type = assertThrows(MagicException.class, () -> run("%load data.csv"));
        assertEquals("Cannot %load data.csv: use a .jsh, .jshell, .java or .ipynb file.", type.getMessage());
        Files.writeString(dir.resolve("old.ipynb"), "{\"nbformat\": 3, \"worksheets\": []}");
        MagicException old = assertThrows(MagicException.class, () -> run("%load old.ipynb"));
        assertTrue(old.getMessage().contains("is nbformat 3; open and save it in Jupyter"), old.getMessage());
    }

    @Test
    void timeReturnsTheValueAndPrintsWallTime() throws Exception {
        assertEquals("42", run("int x = 6;\n%time x * 7"));
        assertTrue(context.stdout().matches("(?s)Wall time: [0-9.]+ (ns|µs|ms|s)\\n"), context.stdout());
        assertEquals("43", run("%%time\nint y = x * 7;\ny + 1"));
        assertEquals(2, context.stdout().split("Wall time").length - 1);
    }

    @Test
    void timeRejectsMisplacedCode() {
        MagicException empty = assertThrows(MagicException.class, () -> run("%time"));
        assertTrue(empty.getMessage().startsWith("Nothing to time"), empty.getMessage());
        MagicException args = assertThrows(MagicException.class, () -> run("%%time int a = 1;\na"));
        assertEquals("%%time takes no arguments: move \"int a = 1;\" to the next line.", args.getMessage());
    }

    @Test
    void durationsUseTheirUnit() {
        assertEquals("950 ns", TimeMagic.format(950));
        assertEquals("812 µs", TimeMagic.format(812_300));
        assertEquals("12.3 ms", TimeMagic.format(12_345_678));
        assertEquals("4.57 s", TimeMagic.format(4_567_000_000L));
    }

    @Test
    void htmlAndMarkdownCellsDisplayTheirBody() throws Exception {
        run("%%html\n<b>bold</b>");
        run("%%markdown\n# Title");
        List<DisplayData> shown = context.displays();
        assertEquals("<b>bold</b>", shown.get(0).getData(MIMEType.TEXT_HTML));
        assertEquals("bold", shown.get(0).getData(MIMEType.TEXT_PLAIN));
        assertEquals("# Title", shown.get(1).getData(MIMEType.TEXT_MARKDOWN));
    }

    @Test
    void lsmagicListsEveryMagic() throws Exception {
        run("%lsmagic");
        assertEquals("""
                Line magics: %classpath %help %jars %load %lsmagic %maven %time
                Cell magics: %%html %%markdown %%time
                Run %help <name> for details.
                """, context.stdout());
    }

    @Test
    void helpShowsMagicsAndTheNotebookApi() throws Exception {
        run("%help");
        String all = context.stdout();
        assertTrue(all.startsWith("Magics\n\n%classpath\n    Add jars or class directories"), all);
        assertTrue(all.contains("%%time\n    Time the whole cell"), all);
        assertTrue(all.endsWith("Notebook API\n\nAPI SUMMARY\n"), all);
    }

    @Test
    void helpForOneNameShowsBothKinds() throws Exception {
        run("%help %time");
        assertTrue(context.stdout().startsWith("%time\n    Time one statement"), context.stdout());
        assertTrue(context.stdout().contains("\n\n%%time\n    Time the whole cell"), context.stdout());
        UnknownMagicException e = assertThrows(UnknownMagicException.class, () -> run("%help lod"));
        assertEquals(List.of("%load"), e.suggestions());
    }

    @Test
    void unknownMagicInACellListsTheClosestNames() {
        UnknownMagicException e = assertThrows(UnknownMagicException.class, () -> run("int a = 1;\n%mavn x:y:1"));
        assertEquals("Unknown line magic %mavn. Did you mean %maven? Run %lsmagic to list the magics.", e.getMessage());
    }

    @Test
    void codeErrorsComeFromTheKernelUnchanged() {
        assertThrows(JShellMagicContext.CompileError.class, () -> run("%time int z = \"s\";"));
    }
}
