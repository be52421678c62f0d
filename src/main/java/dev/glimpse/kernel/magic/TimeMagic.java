package dev.glimpse.kernel.magic;

import java.util.Locale;

/** {@code %time statement} and {@code %%time}: run code, print the wall time, return the code's value. */
final class TimeMagic implements LineMagic, CellMagic {
    static final String LINE_HELP = """
            Time one statement or expression: %time model.generate(prompt)
            Prints the wall time and returns the value, so %time works as the last line of a cell.""";
    static final String CELL_HELP = """
            Time the whole cell: put %%time on the first line, the code below it (magics allowed).
            Prints the wall time and returns the value of the cell's last statement.""";

    private final CellRunner runner;

    TimeMagic(CellRunner runner) {
        this.runner = runner;
    }

    @Override
    public Object run(String args, MagicContext context) throws Exception {
        if (args.isBlank()) {
            throw new MagicException("Nothing to time: write %time <statement>, or %%time on the first line of a cell.");
        }
        return timed(args, context);
    }

    @Override
    public Object run(String args, String body, MagicContext context) throws Exception {
        if (!args.isBlank()) {
            throw new MagicException("%%time takes no arguments: move \"" + args + "\" to the next line.");
        }
        return timed(body, context);
    }

    private Object timed(String code, MagicContext context) throws Exception {
        long start = System.nanoTime();
        Object value = runner.run(code, context);
        context.out().println("Wall time: " + format(System.nanoTime() - start));
        return value;
    }

    /** A duration with three significant digits in the unit that suits it: 812 µs, 12.3 ms, 4.56 s. */
    static String format(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return significant(nanos / 1e3) + " µs";
        }
        if (nanos < 1_000_000_000) {
            return significant(nanos / 1e6) + " ms";
        }
        return significant(nanos / 1e9) + " s";
    }

    private static String significant(double value) {
        String pattern = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
