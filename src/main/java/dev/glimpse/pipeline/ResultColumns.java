package dev.glimpse.pipeline;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The columns of a results table, each named once beside the cell a row gives it, so that the column names a
 * caller lists and the table it builds cannot drift apart. Built once, then used for every table:
 *
 * <pre>{@code
 * ResultColumns<BatchResult> columns = new ResultColumns<BatchResult>().text("file", BatchResult::file) ...;
 * Table t = columns.table("answers", results);
 * }</pre>
 *
 * @param <R> the row type
 */
final class ResultColumns<R> {

    /** One column: makes itself, filled from the rows. */
    private interface Spec<R> {
        Column<?> fill(List<R> rows);
    }

    private final List<String> names = new ArrayList<>();
    private final List<Spec<R>> specs = new ArrayList<>();

    /** A text column. */
    ResultColumns<R> text(String name, Function<R, String> cell) {
        return add(name, StringColumn::create, (c, r) -> c.append(cell.apply(r)));
    }

    /** A column of doubles. */
    ResultColumns<R> number(String name, ToDoubleFunction<R> cell) {
        return add(name, DoubleColumn::create, (c, r) -> c.append(cell.applyAsDouble(r)));
    }

    /** A column of ints. */
    ResultColumns<R> count(String name, ToIntFunction<R> cell) {
        return add(name, IntColumn::create, (c, r) -> c.append(cell.applyAsInt(r)));
    }

    /** A column of booleans. */
    ResultColumns<R> flag(String name, Predicate<R> cell) {
        return add(name, BooleanColumn::create, (c, r) -> c.append(cell.test(r)));
    }

    private <C extends Column<?>> ResultColumns<R> add(String name, Function<String, C> create,
                                                       BiConsumer<C, R> append) {
        names.add(name);
        specs.add(rows -> {
            C column = create.apply(name);
            rows.forEach(r -> append.accept(column, r));
            return column;
        });
        return this;
    }

    /** The column names, in order. */
    List<String> names() {
        return List.copyOf(names);
    }

    /** The table named {@code name} with a row per element of {@code rows}, in order. */
    Table table(String name, List<R> rows) {
        Table table = Table.create(name);
        for (Spec<R> spec : specs) {
            table.addColumns(spec.fill(rows));
        }
        return table;
    }
}
