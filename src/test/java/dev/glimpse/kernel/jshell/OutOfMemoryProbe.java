package dev.glimpse.kernel.jshell;

/**
 * Fills the heap from cells, in a JVM of its own with a small heap (run by {@link OutOfMemoryTest}), and prints what
 * happened, one {@code key: value} line per step.
 */
public final class OutOfMemoryProbe {

    private OutOfMemoryProbe() {
    }

    public static void main(String[] args) {
        try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults())) {
            evaluator.warmUp();
            step(evaluator, "local", "{ List<long[]> hog = new ArrayList<>();\n  while (true) hog.add(new long[1 << 16]); }");
            step(evaluator, "after-local", "1 + 1");
            step(evaluator, "kept", "List<long[]> kept = new ArrayList<>();\nwhile (true) kept.add(new long[1 << 16]);");
            step(evaluator, "free", "kept = null;");
            step(evaluator, "after-kept", "2 + 2");
        }
        System.out.println("exit: normal");
    }

    private static void step(JShellEvaluator evaluator, String name, String code) {
        try {
            Evaluation evaluation = evaluator.eval(code, 1);
            System.out.println(name + ": value " + evaluation.value());
        } catch (CellFailure failure) {
            System.out.println(name + ": " + failure.ename() + " " + failure.evalue());
        }
    }
}
