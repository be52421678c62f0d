package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a Tablesaw {@link Table} as an HTML table (escaped cells, column types as header tooltips, the first
 * {@value #DEFAULT_MAX_ROWS} rows and a note of how many more) and as Tablesaw's own text layout.
 *
 * <p>The row limit can be changed per render with the parameter {@value #MAX_ROWS_PARAM}.
 */
public final class TableRenderer {
    /** Render parameter: how many rows to show (an integer). */
    public static final String MAX_ROWS_PARAM = "maxRows";
    public static final int DEFAULT_MAX_ROWS = 20;

    private TableRenderer() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register(TableRenderer::render);
    }

    static void render(Table table, RenderContext context) {
        int maxRows = Math.max(0, context.getParameterAsInt(MAX_ROWS_PARAM, DEFAULT_MAX_ROWS));
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table, maxRows));
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print(maxRows));
    }

    /** The first {@code maxRows} rows of {@code table} as an HTML table, every name and value escaped. */
    public static String html(Table table, int maxRows) {
        int shown = Math.min(maxRows, table.rowCount());
        StringBuilder html = new StringBuilder(256 + shown * table.columnCount() * 16);
        html.append("<table class=\"glimpse-table\">\n<caption>");
        if (table.name() != null && !table.name().isBlank()) {
            html.append(Html.escape(table.name())).append(" &middot; ");
        }
        html.append(count(table.rowCount(), "row")).append(" &times; ").append(count(table.columnCount(), "column"))
                .append("</caption>\n<thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append("<th title=\"").append(Html.escape(column.type().name())).append("\">")
                    .append(Html.escape(column.name())).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (int row = 0; row < shown; row++) {
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append("<td>").append(Html.escape(column.getString(row))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>");
        int hidden = table.rowCount() - shown;
        if (hidden > 0) {
            html.append("\n<p class=\"glimpse-table-more\">&hellip; ").append(count(hidden, "more row")).append("</p>");
        }
        return html.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
