package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class StartupTest {

    @Test
    void defaultImportsAreInPlace() throws CellFailure {
        try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults())) {
            Object value = evaluator.eval("new ArrayList<>(List.of(BigInteger.ONE)).stream()"
                    + ".map(Function.identity()).collect(Collectors.toList())", 1).value();
            assertEquals(List.of(java.math.BigInteger.ONE), value);
        }
    }

    @Test
    void extraImportsAndStartupCodeRunBeforeTheFirstCell() throws CellFailure {
        EvaluatorOptions options = EvaluatorOptions.defaults()
                .withImports("static java.lang.Math.*", "import java.time.Duration;")
                .withStartupSnippets("int answer() { return 42; }");
        try (JShellEvaluator evaluator = JShellEvaluator.create(options)) {
            evaluator.warmUp();
            assertEquals(42, evaluator.eval("max(answer(), 7)", 1).value());
            assertEquals(60L, evaluator.eval("Duration.ofMinutes(1).toSeconds()", 1).value());
        }
    }

    @Test
    void startupProblemsAreNotedOnceOnTheFirstCell() throws CellFailure {
        EvaluatorOptions options = EvaluatorOptions.defaults().withImports("no.such.pkg.*");
        try (JShellEvaluator evaluator = JShellEvaluator.create(options)) {
            evaluator.warmUp();
            assertEquals(List.of("start-up code `import no.such.pkg.*;` failed: package no.such.pkg does not exist"),
                    evaluator.eval("1 + 1", 1).notes());
            assertEquals(List.of(), evaluator.eval("1 + 1", 1).notes());
        }
    }

    @Test
    void warmingUpLeavesNoDeclarationsBehind() {
        try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults())) {
            evaluator.warmUp();
            assertEquals(List.of(), evaluator.complete("$glimpse", 8).matches());
            assertThrows(CompileFailure.class, () -> evaluator.eval("$glimpseWarmUp", 1));
        }
    }

    @Test
    void withoutImportsNothingIsImported() {
        try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults().withoutImports())) {
            assertThrows(CompileFailure.class, () -> evaluator.eval("new ArrayList<String>()", 1));
        }
    }

    @Test
    void aClosedEvaluatorSaysSo() {
        JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults());
        evaluator.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> evaluator.eval("1", 1));
        assertEquals("this evaluator is closed; create a new one", e.getMessage());
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> EvaluatorOptions.defaults().withImports(" ; "));
        assertThrows(IllegalArgumentException.class, () -> EvaluatorOptions.defaults().withCellStackSize(1024));
    }
}
