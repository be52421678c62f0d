package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletenessTest {

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
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "System.out.println(\"x\");                    | COMPLETE",
            "6*7                                          | COMPLETE",
            "int x = 5                                    | COMPLETE",
            "import java.time.*;                          | COMPLETE",
            "void f() { }                                 | COMPLETE",
            "class A { int a; }                           | COMPLETE",
            "int a = 1; int b = 2; a + b                  | COMPLETE",
            "x -> x + 1                                   | COMPLETE",
            "``                                           | COMPLETE",
            "// only a comment                            | COMPLETE",
            "int x = 7q                                   | INVALID",
            "int = 7q                                     | INVALID",
            "int x = ;                                    | INVALID",
            "int a = 7q; int b = 1;                       | INVALID",
            "String s = \"a\" \"b\";                      | INVALID",
            "for (int i = 0; i < 3; i++) {                | INCOMPLETE",
            "int y =                                      | INCOMPLETE",
            "/* an open comment                           | INCOMPLETE",
    })
    void verdicts(String code, CompletenessCheck.Status expected) {
        assertEquals(expected, evaluator.isComplete(code).status(), code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`for (int i = 0; i < 3; i++) {`                         | `    `",
            "`for (int i = 0; i < 3; i++) {\n    if (i > 1) {`      | `        `",
            "`for (int i = 0; i < 3; i++) {\n    String s = \"{\";` | `    `",
            "`int y =`                                               | ``",
    })
    void incompleteCodeGetsTheIndentOfItsOpenBlocks(String code, String indent) {
        CompletenessCheck check = evaluator.isComplete(code.replace("\\n", "\n"));
        assertEquals(CompletenessCheck.Status.INCOMPLETE, check.status());
        assertEquals(indent, check.indent());
    }
}
