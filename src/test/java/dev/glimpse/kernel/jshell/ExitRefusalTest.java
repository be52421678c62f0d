package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cells cannot end the kernel JVM: if they could, this test JVM would die and the test run would fail. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExitRefusalTest {

    private JShellEvaluator evaluator;

    @BeforeAll
    void start() {
        evaluator = JShellEvaluator.create(EvaluatorOptions.defaults());
    }

    @AfterAll
    void stop() {
        evaluator.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "System.exit(3);                                                   | System.exit  | 3",
            "Runtime.getRuntime().exit(4);                                     | Runtime.exit | 4",
            "Runtime.getRuntime().halt(5);                                     | Runtime.halt | 5",
            "IntConsumer quit = System::exit; quit.accept(6);                  | System.exit  | 6",
            "IntConsumer stop = Runtime.getRuntime()::halt; stop.accept(7);    | Runtime.halt | 7",
            "BiConsumer<Runtime, Integer> end = Runtime::exit; end.accept(Runtime.getRuntime(), 8); | Runtime.exit | 8",
            "try { System.exit(9); } catch (Exception e) { System.out.println(\"caught\"); } | System.exit | 9",
            "System.class.getMethod(\"exit\", int.class).invoke(null, 10);                      | System.exit  | 10",
            "Class.forName(\"java.lang.System\").getMethod(\"exit\", int.class).invoke(null, 11); | System.exit  | 11",
            "Runtime.class.getMethod(\"exit\", int.class).invoke(Runtime.getRuntime(), 12);     | Runtime.exit | 12",
            "Runtime.class.getMethod(\"halt\", int.class).invoke(Runtime.getRuntime(), 13);     | Runtime.halt | 13",
            "java.lang.invoke.MethodHandles.lookup().findStatic(System.class, \"exit\", "
                    + "java.lang.invoke.MethodType.methodType(void.class, int.class)).invoke(14); | System.exit | 14",
            "java.lang.invoke.MethodHandles.publicLookup().findVirtual(Runtime.class, \"halt\", "
                    + "java.lang.invoke.MethodType.methodType(void.class, int.class)).invoke(Runtime.getRuntime(), 15);"
                    + " | Runtime.halt | 15",
            "java.lang.invoke.MethodHandles.lookup().bind(Runtime.getRuntime(), \"exit\", "
                    + "java.lang.invoke.MethodType.methodType(void.class, int.class)).invoke(16); | Runtime.exit | 16",
            "java.lang.invoke.MethodHandles.lookup().unreflect(System.class.getMethod(\"exit\", int.class))"
                    + ".invokeWithArguments(17); | System.exit | 17",
            // a second layer of reflection: Method.invoke and the Lookup methods reached reflectively or by handle
            "java.lang.reflect.Method.class.getMethod(\"invoke\", Object.class, Object[].class)"
                    + ".invoke(System.class.getMethod(\"exit\", int.class), null, new Object[] {18}); | System.exit | 18",
            "java.lang.invoke.MethodHandles.lookup().findVirtual(java.lang.reflect.Method.class, \"invoke\", "
                    + "java.lang.invoke.MethodType.methodType(Object.class, Object.class, Object[].class))"
                    + ".invoke(System.class.getMethod(\"exit\", int.class), null, new Object[] {19}); | System.exit | 19",
            "java.lang.invoke.MethodHandles.lookup().unreflect(java.lang.reflect.Method.class.getMethod(\"invoke\", "
                    + "Object.class, Object[].class)).invoke(Runtime.class.getMethod(\"halt\", int.class), "
                    + "Runtime.getRuntime(), new Object[] {20}); | Runtime.halt | 20",
            "java.lang.invoke.MethodHandles.lookup().bind(Runtime.class.getMethod(\"exit\", int.class), \"invoke\", "
                    + "java.lang.invoke.MethodType.methodType(Object.class, Object.class, Object[].class))"
                    + ".invoke(Runtime.getRuntime(), new Object[] {21}); | Runtime.exit | 21",
            "((java.lang.invoke.MethodHandle) java.lang.invoke.MethodHandles.lookup().findVirtual("
                    + "java.lang.invoke.MethodHandles.Lookup.class, \"findStatic\", java.lang.invoke.MethodType.methodType("
                    + "java.lang.invoke.MethodHandle.class, Class.class, String.class, java.lang.invoke.MethodType.class))"
                    + ".invoke(java.lang.invoke.MethodHandles.lookup(), System.class, \"exit\", "
                    + "java.lang.invoke.MethodType.methodType(void.class, int.class))).invoke(22); | System.exit | 22",
            // the Lookup method called reflectively: refused when the handle is made, before a status is known
            "((java.lang.invoke.MethodHandle) java.lang.invoke.MethodHandles.Lookup.class.getMethod(\"findStatic\", "
                    + "Class.class, String.class, java.lang.invoke.MethodType.class).invoke("
                    + "java.lang.invoke.MethodHandles.lookup(), System.class, \"exit\", "
                    + "java.lang.invoke.MethodType.methodType(void.class, int.class))).invoke(23); | System.exit | 0",
    })
    void exitCallsAreRefused(String code, String call, int status) throws CellFailure {
        ExitRefused refused = assertThrows(ExitRefused.class, () -> evaluator.eval(code, 1));

        assertEquals(status, refused.status());
        assertEquals("ExitRefused", refused.ename());
        assertEquals(call + " is not allowed in a notebook cell; restart the kernel from the Kernel menu instead",
                refused.evalue());
        assertEquals(refused.evalue(), refused.traceback(false).get(0));
        assertEquals(2, evaluator.eval("1 + 1", 1).value(), "the kernel goes on");
    }

    @org.junit.jupiter.api.Test
    void reflectionAndMethodHandlesStillReachEveryOtherMethod() throws CellFailure {
        evaluator.eval("class Counter { int count() { return 42; } }", 1);
        assertEquals(42, evaluator.eval("Counter.class.getDeclaredMethod(\"count\").invoke(new Counter())", 1).value(),
                "a package-private method of a cell's class, reached from the cell");
        assertEquals(7, evaluator.eval("java.lang.invoke.MethodHandles.lookup().findStatic(Math.class, \"max\", "
                + "java.lang.invoke.MethodType.methodType(int.class, int.class, int.class)).invoke(3, 7)", 1).value());
        assertEquals(Runtime.getRuntime().availableProcessors(), evaluator.eval("java.lang.invoke.MethodHandles"
                + ".lookup().bind(Runtime.getRuntime(), \"availableProcessors\", "
                + "java.lang.invoke.MethodType.methodType(int.class)).invoke()", 1).value());
        assertEquals("exit", evaluator.eval("System.class.getMethod(\"exit\", int.class).getName()", 1).value(),
                "looking an exit method up is harmless; only calling it is refused");
    }

    @org.junit.jupiter.api.Test
    void aHandleToMethodInvokeMadeThroughReflectionIsRefusedButOneMadeDirectlyWorks() throws CellFailure {
        ExceptionFailure refused = assertThrows(ExceptionFailure.class, () -> evaluator.eval(
                "java.lang.invoke.MethodHandles.Lookup.class.getMethod(\"findVirtual\", Class.class, String.class, "
                        + "java.lang.invoke.MethodType.class).invoke(java.lang.invoke.MethodHandles.lookup(), "
                        + "java.lang.reflect.Method.class, \"invoke\", java.lang.invoke.MethodType.methodType("
                        + "Object.class, Object.class, Object[].class))", 1));
        assertEquals("java.lang.UnsupportedOperationException", refused.ename());
        assertEquals("A handle to java.lang.reflect.Method.invoke made through reflection is not allowed in a notebook"
                + " cell: it could reach System.exit unchecked; call MethodHandles.Lookup.findVirtual directly instead",
                refused.evalue());
        assertEquals(9, evaluator.eval("java.lang.invoke.MethodHandles.lookup().findVirtual("
                + "java.lang.reflect.Method.class, \"invoke\", java.lang.invoke.MethodType.methodType(Object.class, "
                + "Object.class, Object[].class)).invoke(Math.class.getMethod(\"max\", int.class, int.class), null, "
                + "new Object[] {4, 9})", 1).value(), "a checked handle to Method.invoke still calls other methods");
    }

    @org.junit.jupiter.api.Test
    void anExitInsideADeclaredMethodIsRefusedWhereItIsCalled() throws CellFailure {
        evaluator.eval("void quit() {\n  System.exit(0);\n}", 1, "In [1]");
        ExitRefused refused = assertThrows(ExitRefused.class, () -> evaluator.eval("quit();", 1, "In [2]"));
        assertEquals(List.of(refused.evalue(), "    at quit (In [1] line 2)", "    at In [2] line 1"),
                refused.traceback(false));
        assertInstanceOf(ExitRefusedError.class, refused.getCause());
    }
}
