package dev.glimpse.extension;

import dev.glimpse.display.Html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The small table {@code %model} shows: name, state, source, device, dtype, parameters, memory, load time. */
final class ModelStatusView {

    private ModelStatusView() {
    }

    static Bundle bundle(ModelStatus s) {
        List<String[]> rows = rows(s);
        StringBuilder html = new StringBuilder("<table class=\"glimpse-model\"><tbody>\n");
        StringBuilder plain = new StringBuilder();
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] row : rows) {
            html.append("<tr><th style=\"text-align:left\">").append(Html.escape(row[0]))
                    .append("</th><td style=\"text-align:left\">").append(Html.escape(row[1])).append("</td></tr>\n");
            plain.append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1]).append('\n');
        }
        html.append("</tbody></table>");
        return new Bundle().put(Bundle.HTML, html.toString()).put(Bundle.PLAIN, plain.toString().stripTrailing());
    }

    static List<String[]> rows(ModelStatus s) {
        List<String[]> rows = new ArrayList<>();
        switch (s.state()) {
            case "empty" -> {
                rows.add(new String[] {"model", "none"});
                rows.add(new String[] {"state", s.error()});
                rows.add(new String[] {"load one", "%model DIR (a GLM-4V model directory) or %model URL "
                        + "(an OpenAI-compatible endpoint)"});
            }
            case "loading" -> {
                rows.add(new String[] {"model", s.name()});
                rows.add(new String[] {"state", "loading… " + TimingLine.duration(s.loadMillis())});
                rows.add(new String[] {"source", s.source()});
            }
            case "failed" -> {
                rows.add(new String[] {"model", s.name()});
                rows.add(new String[] {"state", "failed to load"});
                rows.add(new String[] {"source", s.source()});
                rows.add(new String[] {"error", s.error()});
            }
            default -> {
                rows.add(new String[] {"model", s.name()});
                rows.add(new String[] {"state", "ready"});
                rows.add(new String[] {"source", s.source()});
                rows.add(new String[] {"device", s.device()});
                rows.add(new String[] {"dtype", s.dtype()});
                rows.add(new String[] {"parameters", s.parameters() == 0 ? "unknown" : parameters(s.parameters())});
                rows.add(new String[] {"memory", memory(s.weightBytes())});
                rows.add(new String[] {"load time", TimingLine.duration(s.loadMillis())});
                s.warnings().forEach(w -> rows.add(new String[] {"warning", w}));
            }
        }
        return rows;
    }

    static String parameters(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B (%,d)", n / 1e9, n);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f M (%,d)", n / 1e6, n);
        }
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String memory(long weightBytes) {
        String weights = weightBytes == 0 ? "weights: unknown" : "weights " + bytes(weightBytes);
        long rss = residentBytes();
        Runtime rt = Runtime.getRuntime();
        return weights + (rss > 0 ? " · kernel process " + bytes(rss) + " resident" : "") + " · Java heap "
                + bytes(rt.totalMemory() - rt.freeMemory()) + " used";
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        }
        return n + " B";
    }

    // Linux only; elsewhere the row leaves it out
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
