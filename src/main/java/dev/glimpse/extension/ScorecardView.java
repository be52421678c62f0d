package dev.glimpse.extension;

import dev.glimpse.display.Html;
import dev.glimpse.display.ImageFormat;
import dev.glimpse.display.ImageRenderer;
import dev.glimpse.display.TableRenderer;
import dev.glimpse.pipeline.Accuracy;
import dev.glimpse.pipeline.CapacityEstimate;
import dev.glimpse.pipeline.EvalReport;
import dev.glimpse.pipeline.LatencySummary;
import dev.glimpse.pipeline.Thresholds;
import tech.tablesaw.api.Table;

import java.util.Locale;

/**
 * Lays out a {@link Scorecard}: a pass/fail headline with both checks, accuracy per type, latency percentiles with
 * the histogram (PNG), the call-volume estimate with its assumption, and the failures table (first
 * {@value #FAILURES_SHOWN} rows).
 */
final class ScorecardView {

    static final int FAILURES_SHOWN = 20;

    private ScorecardView() {
    }

    static Bundle bundle(Scorecard s) {
        String png = ImageRenderer.base64(chart(s), ImageFormat.PNG);
        return new Bundle().put(Bundle.HTML, html(s, png)).put(Bundle.PNG, png).put(Bundle.PLAIN, plain(s));
    }

    static java.awt.image.BufferedImage chart(Scorecard s) {
        return HistogramChart.draw(s.histogram(), s.report().latency().p95(), s.thresholds().maxP95Millis());
    }

    static String headline(Scorecard s) {
        var e = s.evaluation();
        return (s.passed() ? "PASS" : "FAIL") + " · " + e.dataset().source().getFileName() + " · " + e.model().name()
                + " · " + e.results().size() + (s.interrupted() ? " of " + e.planned() : "") + " questions"
                + (s.interrupted() ? " (interrupted)" : "");
    }

    static String checks(Scorecard s) {
        Thresholds.Verdict v = s.verdict();
        Thresholds t = s.thresholds();
        String checks = String.format(Locale.ROOT, "accuracy %s %s %s %s · p95 latency %s %s %s %s",
                percent(v.accuracy()), v.accuracyMet() ? "≥" : "<", percent(t.minAccuracy()), v.accuracyMet() ? "✓" : "✗",
                ms(v.p95Millis()), v.latencyMet() ? "≤" : ">", ms(t.maxP95Millis()), v.latencyMet() ? "✓" : "✗");
        for (var bar : new java.util.TreeMap<>(t.byType()).entrySet()) {
            var a = s.report().accuracyOf(bar.getKey());
            if (a.isPresent()) {
                boolean met = !v.typesBelow().contains(bar.getKey());
                checks += String.format(Locale.ROOT, " · %s %s %s %s %s", bar.getKey(), percent(a.get().accuracy()),
                        met ? "≥" : "<", percent(bar.getValue()), met ? "✓" : "✗");
            }
        }
        return checks;
    }

    static String latency(LatencySummary l) {
        return "latency (nearest rank, " + l.count() + " answers): p50 " + ms(l.p50()) + " · p95 " + ms(l.p95())
                + " · max " + ms(l.max()) + " · mean " + ms(l.mean());
    }

    static String capacity(CapacityEstimate c) {
        if (Double.isNaN(c.requestsPerSecond())) {
            return "call volume: no answers to estimate from";
        }
        return String.format(Locale.ROOT, "call volume: ≈ %.2f requests/s sustained = 1000 / %.0f ms mean latency; "
                        + "≈ %,.0f per day (× 86,400 s). Assumes %s.", c.requestsPerSecond(), c.meanMillis(),
                c.requestsPerDay(), CapacityEstimate.ASSUMPTION);
    }

    static String html(Scorecard s, String png) {
        EvalReport r = s.report();
        boolean pass = s.passed();
        StringBuilder html = new StringBuilder("<div class=\"glimpse-scorecard\" style=\"line-height:1.45\">\n");
        html.append("<div style=\"font-size:larger;font-weight:bold;color:").append(pass ? "#1b7e34" : "#b00020")
                .append("\">").append(Html.escape(headline(s))).append("</div>\n");
        html.append("<div>").append(Html.escape(checks(s))).append("</div>\n");
        html.append("<table class=\"glimpse-table\" style=\"margin:6px 0\"><thead><tr><th>type</th><th>items</th>")
                .append("<th>correct</th><th>accuracy</th><th title=\"mean score, partial credit included\">score</th>")
                .append(r.overall().errors() > 0 ? "<th>errors</th>" : "").append("</tr></thead><tbody>\n");
        for (Accuracy a : r.byType()) {
            row(html, a, false, r.overall().errors() > 0);
        }
        row(html, r.overall(), true, r.overall().errors() > 0);
        html.append("</tbody></table>\n");
        html.append("<div>").append(Html.escape(latency(r.latency()))).append("</div>\n");
        html.append("<div><img src=\"data:image/png;base64,").append(png)
                .append("\" alt=\"latency histogram\" style=\"max-width:100%\"></div>\n");
        html.append("<div style=\"color:#555\">").append(Html.escape(capacity(s.capacity()))).append("</div>\n");
        if (r.overall().errors() > 0) {
            html.append("<div style=\"color:#b00020\">").append(r.overall().errors())
                    .append(" questions could not be answered (counted wrong); the failures say why.</div>\n");
        }
        if (r.cutOff() > 0) {
            html.append("<div style=\"color:#b00020\">").append(r.cutOff())
                    .append(" answers hit the token limit: raise it with options().maxTokens(n).</div>\n");
        }
        Table failures = s.failures();
        html.append("<h4 style=\"margin:8px 0 2px\">Failures (").append(failures.rowCount()).append(")</h4>\n");
        html.append(failures.rowCount() == 0 ? "<div>none</div>" : TableRenderer.html(failures, FAILURES_SHOWN));
        return html.append("\n</div>").toString();
    }

    private static void row(StringBuilder html, Accuracy a, boolean overall, boolean errors) {
        String open = overall ? "<td><b>" : "<td>";
        String close = overall ? "</b></td>" : "</td>";
        html.append("<tr>").append(open).append(Html.escape(a.group())).append(close)
                .append(open).append(a.items()).append(close)
                .append(open).append(a.correct()).append(close)
                .append(open).append(percent(a.accuracy())).append(close)
                .append(open).append(Double.isNaN(a.meanScore()) ? "-" : String.format(Locale.ROOT, "%.3f",
                        a.meanScore())).append(close)
                .append(errors ? open + a.errors() + close : "").append("</tr>\n");
    }

    static String plain(Scorecard s) {
        StringBuilder out = new StringBuilder();
        out.append(headline(s)).append('\n').append(checks(s)).append("\n\n");
        out.append(s.report().format()).append('\n');
        out.append(capacity(s.capacity())).append('\n');
        Table failures = s.failures();
        out.append("failures: ").append(failures.rowCount());
        if (failures.rowCount() > 0) {
            out.append('\n').append(failures.print(FAILURES_SHOWN));
        }
        return out.toString();
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.0f ms", millis);
    }
}
