package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JShellEvaluatorTest {

    private JShellEvaluator evaluator;

    @BeforeAll
    void start() {
        evaluator = JShellEvaluator.create(EvaluatorOptions.defaults());
        evaluator.warmUp();
    }

    @AfterAll
    void stop() {
        evaluator.close();
    }

    private Object value(String code) throws CellFailure {
        Evaluation evaluation = evaluator.eval(code, 1);
        assertTrue(evaluation.hasValue(), () -> "no value from " + code);
        return evaluation.value();
    }

    @Test
    void objectsLiveAcrossCellsAsRealObjects() throws CellFailure {
        evaluator.eval("var names = new ArrayList<String>();", 1);
        evaluator.eval("names.add(\"ada\");", 1);
        Object first = value("names");
        evaluator.eval("names.add(\"alan\");", 1);
        Object second = value("names");

        assertInstanceOf(ArrayList.class, first);
        assertSame(first, second, "the same list, not a copy or a string");
        assertEquals(List.of("ada", "alan"), second);
    }

    @Test
    void onlyExpressionsHaveAValue() throws CellFailure {
        assertFalse(evaluator.eval("int x = 5;", 1).hasValue(), "declaration");
        assertFalse(evaluator.eval("x = 6;", 1).hasValue(), "assignment");
        assertEquals(6, value("x"));
        assertEquals(42, value("6 * 7"));
        evaluator.eval("void nothing() {}", 1);
        assertFalse(evaluator.eval("nothing()", 1).hasValue(), "void call");

        Evaluation nullString = evaluator.eval("String none = null;\nnone", 1);
        assertTrue(nullString.hasValue());
        assertNull(nullString.value());
        assertEquals("String", nullString.typeName());
    }

    @Test
    void aCellOfSeveralSnippetsGivesTheLastValue() throws CellFailure {
        assertEquals(3, value("int a = 1; int b = 2;\na + b"));
        assertEquals(3, value("a + b"), "a and b stay defined");
    }

    @Test
    void aFailingSnippetStopsTheCell() throws CellFailure {
        assertThrows(CompileFailure.class,
                () -> evaluator.eval("int before = 1;\nint broken = \"text\";\nint after = 3;", 1));
        assertEquals(1, value("before"));
        CompileFailure notRun = assertThrows(CompileFailure.class, () -> evaluator.eval("after", 1));
        assertTrue(notRun.evalue().contains("cannot find symbol"), notRun.evalue());
    }

    @Test
    void compileErrorsAreLocatedInTheCell() {
        CompileFailure failure = assertThrows(CompileFailure.class,
                () -> evaluator.eval("int fine = 1;\n  String s = 42;", 3));

        assertEquals(1, failure.diagnostics().size(), failure.report());
        CellDiagnostic d = failure.diagnostics().get(0);
        assertEquals(4, d.line(), "second line of code that starts at cell line 3");
        assertEquals(14, d.column());
        assertEquals("  String s = 42;", d.sourceLine());
        assertEquals("CompileError", failure.ename());
        assertTrue(failure.evalue().startsWith("incompatible types"), failure.evalue());
        assertEquals(List.of(
                "cell line 4, column 14: incompatible types: int cannot be converted to java.lang.String",
                "      String s = 42;",
                "                 ^^"), failure.traceback(false));
        assertTrue(failure.traceback().get(0).startsWith("\u001b["), "the heading is coloured");
    }

    @Test
    void unknownNamesAreCompileErrorsWithoutWrapperNoise() {
        CompileFailure failure = assertThrows(CompileFailure.class,
                () -> evaluator.eval("Widget w = new Widget();", 1));
        assertEquals(2, failure.diagnostics().size());
        assertEquals(1, failure.diagnostics().get(0).column());
        assertEquals(16, failure.diagnostics().get(1).column());
        String report = failure.report();
        assertTrue(report.contains("symbol:   class Widget"), report);
        assertFalse(report.contains("location: class"), report);
        assertFalse(report.contains("$JShell"), report);
    }

    @Test
    void exceptionsKeepTheRealThrowableAndMapFramesToCellLines() {
        String cell = "\n"
                + "void load(String name) {\n"
                + "    throw new IllegalStateException(\"cannot load \" + name,\n"
                + "        new java.io.IOException(\"disk\"));\n"
                + "}\n"
                + "int ready = 1;\n"
                + "load(\"model\");";
        ExceptionFailure failure = assertThrows(ExceptionFailure.class, () -> evaluator.eval(cell, 1, "In [7]"));

        Throwable thrown = failure.thrown();
        assertInstanceOf(IllegalStateException.class, thrown);
        assertInstanceOf(IOException.class, thrown.getCause());
        assertEquals("java.lang.IllegalStateException", failure.ename());
        assertEquals("cannot load model", failure.evalue());
        List<String> traceback = failure.traceback(false);
        assertEquals(List.of(
                "java.lang.IllegalStateException: cannot load model",
                "    at load (In [7] line 3)",
                "    at In [7] line 7",
                "Caused by: java.io.IOException: disk",
                "    ... 2 more"), traceback);
    }

    @Test
    void framesInCodeOfEarlierCellsNameThoseCells() throws CellFailure {
        evaluator.eval("int half(int n) {\n    if (n == 0) throw new ArithmeticException(\"zero\");\n"
                + "    return n / 2;\n}", 1, "In [1]");
        ExceptionFailure failure = assertThrows(ExceptionFailure.class,
                () -> evaluator.eval("int h = half(4);\nhalf(0)", 1, "In [2]"));
        assertEquals(List.of("java.lang.ArithmeticException: zero", "    at half (In [1] line 2)",
                "    at In [2] line 2"), failure.traceback(false));
    }

    @Test
    void libraryFramesStayAndLambdasAreNamed() {
        ExceptionFailure failure = assertThrows(ExceptionFailure.class, () -> evaluator.eval(
                "List.of(\"1\", \"x\").forEach(s ->\n    Integer.parseInt(s));", 1));
        List<String> traceback = failure.traceback(false);
        assertEquals("java.lang.NumberFormatException: For input string: \"x\"", traceback.get(0));
        assertTrue(traceback.contains("    at lambda (cell line 2)"), String.join("\n", traceback));
        assertTrue(traceback.get(1).startsWith("    at java.lang.NumberFormatException.forInputString("),
                traceback.get(1));
        assertEquals("    at cell line 1", traceback.get(traceback.size() - 1));
        assertTrue(traceback.stream().noneMatch(line -> line.contains("jdk.internal.reflect")
                || line.contains("dev.glimpse") || line.contains("REPL")), String.join("\n", traceback));
    }

    @Test
    void stackOverflowIsReportedAndTheEvaluatorGoesOn() throws CellFailure {
        ExceptionFailure failure = assertThrows(ExceptionFailure.class,
                () -> evaluator.eval("int depth(int n) { return depth(n + 1) + 1; }\ndepth(0)", 1));
        assertInstanceOf(StackOverflowError.class, failure.thrown());
        List<String> traceback = failure.traceback(false);
        assertEquals("    at depth (cell line 1)", traceback.get(1));
        assertTrue(traceback.get(2).matches("    \\.\\.\\. the frame above repeats \\d+ more times"),
                traceback.get(2));
        assertEquals(2, value("1 + 1"));
    }

    @Test
    void anImpossibleAllocationIsReportedAndTheEvaluatorGoesOn() throws CellFailure {
        ExceptionFailure failure = assertThrows(ExceptionFailure.class,
                () -> evaluator.eval("long[] huge = new long[Integer.MAX_VALUE - 8];", 1));
        assertInstanceOf(OutOfMemoryError.class, failure.thrown());
        assertEquals(2, value("1 + 1"));
    }

    @Test
    void unresolvedReferencesAreReportedNotSwallowed() throws CellFailure {
        Evaluation declared = evaluator.eval("void greet() { greeting(); }", 1);
        assertEquals(List.of("method greet() is declared, but it cannot be used until method greeting() is declared"),
                declared.notes());

        UnresolvedReference failure = assertThrows(UnresolvedReference.class, () -> evaluator.eval("greet()", 1));
        assertEquals("method greet()", failure.declaration());
        assertEquals(List.of("method greeting()"), failure.missing());
        assertEquals("method greet() cannot be used until method greeting() is declared", failure.evalue());

        evaluator.eval("void greeting() {}", 1);
        assertFalse(evaluator.eval("greet()", 1).hasValue(), "works once greeting exists");
    }

    @Test
    void typesWaitingForATypeAreNoted() throws CellFailure {
        Evaluation declared = evaluator.eval("class Cat extends Animal {}", 1);
        assertEquals(List.of("class Cat is not created yet: it cannot be used until class Animal is declared"),
                declared.notes());
        Evaluation both = evaluator.eval("class Animal {}\nnew Cat() instanceof Animal", 1);
        assertEquals(true, both.value());
        assertEquals(List.of(), both.notes());
    }

    @Test
    void changingADeclarationSaysWhatItBroke() throws CellFailure {
        evaluator.eval("int level = 5;\nint twiceLevel() { return level * 2; }", 1);
        Evaluation retyped = evaluator.eval("String level = \"high\";", 1);
        assertEquals(1, retyped.notes().size(), retyped.notes().toString());
        assertTrue(retyped.notes().get(0).startsWith("method twiceLevel() can no longer be used until it compiles "
                + "again (bad operand types"), retyped.notes().get(0));

        evaluator.eval("class Box { int x; }\nBox box = new Box();", 1);
        Evaluation redefined = evaluator.eval("class Box { int y; }", 1);
        assertEquals(List.of("variable box was reset to null because class Box changed"), redefined.notes());
    }

    @Test
    void theKernelClasspathIsVisibleAndShared() throws CellFailure {
        Object table = value("import tech.tablesaw.api.*;\nTable.create(\"fruit\")");
        assertSame(Table.class, table.getClass(), "one Table class for kernel and cells");
        assertEquals("fruit", ((Table) table).name());
    }

    @Test
    void cellCodeRunsWithTheSnippetLoaderAsContextLoader() throws CellFailure {
        assertSame(evaluator.classLoader(), value("Thread.currentThread().getContextClassLoader()"));
        assertSame(evaluator.classLoader().getParent(), JShellEvaluator.class.getClassLoader());
    }

    @Test
    void jarsAddedToTheClasspathCompileAndLoad(@TempDir Path dir) throws Exception {
        Path jar = TestJars.compile(dir, "demo.Greeter",
                "package demo; public class Greeter { public static String hello(String n) { return \"hello \" + n; } }");
        assertThrows(CompileFailure.class, () -> evaluator.eval("demo.Greeter.hello(\"x\")", 1));

        evaluator.addToClasspath(jar);

        assertEquals("hello ada", value("demo.Greeter.hello(\"ada\")"));
        assertSame(evaluator.classLoader(), evaluator.classLoader().loadClass("demo.Greeter").getClassLoader());
    }

    @Test
    void jarsOfTheKernelClasspathAreNotLoadedASecondTime() throws Exception {
        Path tablesaw = Path.of(Table.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        evaluator.addToClasspath(tablesaw);
        URL[] added = ((URLClassLoader) evaluator.classLoader()).getURLs();
        assertFalse(Arrays.asList(added).contains(tablesaw.toUri().toURL()), Arrays.toString(added));
        assertSame(Table.class, value("tech.tablesaw.api.Table.create(\"again\")").getClass());
    }

    @Test
    void addingAMissingClasspathEntryIsRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.addToClasspath(dir.resolve("nope.jar")));
        assertTrue(e.getMessage().contains("nope.jar") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void cellCodeCanEvaluateCodeItself() throws CellFailure {
        KernelSideHelpers.evaluator = evaluator;
        try {
            assertEquals(42, value("dev.glimpse.kernel.jshell.KernelSideHelpers.evaluator.eval(\"40 + 2\", 1).value()"));
        } finally {
            KernelSideHelpers.evaluator = null;
        }
    }

    @Test
    void completionSuggestsMembersWithTheirReplacementRange() {
        String code = "int n = 1;\n\"abc\".subs";
        Completion completion = evaluator.complete(code, code.length());
        assertTrue(completion.matches().contains("substring("), completion.matches().toString());
        assertEquals(code.indexOf("subs"), completion.start());
        assertEquals(code.length(), completion.end());
    }

    @Test
    void completionKnowsVariablesOfEarlierCells() throws CellFailure {
        evaluator.eval("int alphaCount = 3;", 1);
        Completion completion = evaluator.complete("alphaC", 6);
        assertEquals(List.of("alphaCount"), completion.matches());
        assertEquals(0, completion.start());
    }

    @Test
    void inspectionShowsTheSignature() {
        Inspection inspection = evaluator.inspect("String", 3, 0).orElseThrow();
        assertTrue(inspection.plainText().startsWith("java.lang.String"), inspection.plainText());
        assertTrue(inspection.html().startsWith("<pre>java.lang.String</pre>"), inspection.html());

        assertTrue(evaluator.inspect("", 0, 0).isEmpty(), "nothing to inspect");
    }

    @Test
    void inspectionOfACallListsItsOverloads() {
        String code = "\"abc\".substring(";
        Inspection inspection = evaluator.inspect(code, code.length(), 0).orElseThrow();
        assertTrue(inspection.plainText().contains("String String.substring(int beginIndex)"),
                inspection.plainText());
        assertTrue(inspection.plainText().contains("String String.substring(int beginIndex, int endIndex)"),
                inspection.plainText());
    }

    /** What JupyterLab's contextual help and Shift-Tab send: a bare name, the cursor at its end or inside it. */
    @Test
    void inspectionOfANameFindsMethodsFieldsTypesAndUserDeclarations() throws CellFailure {
        evaluator.eval("String s = \"abc\";\nint twice(int x) { return 2 * x; }\nclass Point { int x; void move(int d) { } }"
                + "\nvar p = new Point();", 1);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("Math.max", List.of("int Math.max(int a, int b)", "long Math.max(long a, long b)",
                "float Math.max(float a, float b)", "double Math.max(double a, double b)"));
        expected.put("String.valueOf", List.of("String String.valueOf(Object obj)",
                "String String.valueOf(char[] data, int offset, int count)", "String String.valueOf(double d)"));
        expected.put("s.length", List.of("int String.length()"));
        expected.put("twice", List.of("int twice(int x)"));
        expected.put("p.move", List.of("void Point.move(int d)"));
        expected.put("p.x", List.of("Point.x:int"));
        expected.put("Math.PI", List.of("Math.PI:double"));
        expected.put("System.out.println", List.of("void PrintStream.println(String x)"));
        expected.put("java.util.List", List.of("java.util.List<E>"));
        expected.put("Point", List.of("Point"));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            String code = e.getKey();
            for (int cursor : new int[] {code.length(), code.length() - 1}) { // at the end, and inside the name
                String found = evaluator.inspect(code, cursor, 0).map(Inspection::plainText).orElse("(found: false)");
                for (String signature : e.getValue()) {
                    if (!found.contains(signature)) {
                        missing.add(code + " at " + cursor + ": no " + signature + " in " + found);
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(evaluator.inspect("Math.noSuchMethod", 17, 0).isEmpty(), "an unknown name is not found");
    }

    @Test
    void completionAndInspectionDoNotWaitForARunningCell() throws Exception {
        KernelSideHelpers.gate = new java.util.concurrent.CountDownLatch(1);
        KernelSideHelpers.waiting = new java.util.concurrent.CountDownLatch(1);
        Thread cell = new Thread(() -> {
            try {
                evaluator.eval("dev.glimpse.kernel.jshell.KernelSideHelpers.awaitGate();", 1);
            } catch (CellFailure e) {
                throw new AssertionError(e.report(), e);
            }
        });
        cell.start();
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
                KernelSideHelpers.waiting.await();
                assertTrue(evaluator.complete("\"abc\".subs", 10).matches().contains("substring("));
                assertTrue(evaluator.inspect("String", 6, 0).isPresent());
                assertEquals(CompletenessCheck.Status.COMPLETE, evaluator.isComplete("1 + 1").status());
            }, "a hang here means completion waits for the running cell");
        } finally {
            KernelSideHelpers.gate.countDown();
            cell.join();
        }
    }
}
