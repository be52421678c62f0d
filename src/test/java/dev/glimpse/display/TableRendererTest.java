package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableRendererTest {
    private final Renderer renderer = new Renderer();

    TableRendererTest() {
        DisplayRenderers.registerDefaults(renderer);
    }

    private static Table answers(int rows) {
        return Table.create("answers",
                IntColumn.create("id", IntStream.range(0, rows).toArray()),
                StringColumn.create("answer", IntStream.range(0, rows)
                        .mapToObj(i -> i == 0 ? "<b>cat</b> & dog" : "row " + i).toArray(String[]::new)),
                DoubleColumn.create("score", IntStream.range(0, rows).mapToDouble(i -> i / 4.0).toArray()));
    }

    @Test
    void htmlTableEscapesCellsAndShowsTypes() {
        DisplayData data = renderer.render(answers(3));
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<td>&lt;b&gt;cat&lt;/b&gt; &amp; dog</td>"), html);
        assertFalse(html.contains("<b>cat</b>"), html);
        assertTrue(html.contains("<th title=\"INTEGER\">id</th><th title=\"STRING\">answer</th>"
                + "<th title=\"DOUBLE\">score</th>"), html);
        assertTrue(html.contains("<caption>answers &middot; 3 rows &times; 3 columns</caption>"), html);
        assertEquals(3, html.split("<tr>", -1).length - 2, "one header row and three body rows");
        assertFalse(html.contains("more row"), html);
    }

    @Test
    void longTablesStopAtTheRowLimitWithANote() {
        String html = (String) renderer.render(answers(25)).getData(MIMEType.TEXT_HTML);
        assertEquals(TableRenderer.DEFAULT_MAX_ROWS, html.split("<tr>", -1).length - 2);
        assertTrue(html.contains("&hellip; 5 more rows"), html);
        assertTrue(html.contains("<td>row 19</td>") && !html.contains("<td>row 20</td>"), html);
    }

    @Test
    void rowLimitIsARenderParameter() {
        DisplayData data = renderer.render(answers(25), new java.util.HashMap<>(Map.of(TableRenderer.MAX_ROWS_PARAM, 2)));
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("&hellip; 23 more rows"), html);
        String single = TableRenderer.html(answers(3), 2);
        assertTrue(single.contains("&hellip; 1 more row</p>"), single);
    }

    @Test
    void plainTextIsTablesawsLayout() {
        String plain = (String) renderer.render(answers(3)).getData(MIMEType.TEXT_PLAIN);
        assertTrue(plain.contains("answers"), plain);
        assertTrue(plain.contains("id") && plain.contains("answer") && plain.contains("score"), plain);
        assertTrue(plain.contains("row 2"), plain);
    }
}
