package dev.glimpse.extension;

import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Timings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one-line account of an answer: {@code glimpse-tiny · cpu · 74 prompt + 6 answer tokens · vision 40 ms ·
 * prefill 60 ms · 25 tok/s · 180 ms}. Parts that do not apply (no image, one token) are left out.
 */
final class TimingLine {

    private TimingLine() {
    }

    static String of(Answer answer) {
        Timings t = answer.timings();
        List<String> parts = new ArrayList<>();
        parts.add(answer.model().name());
        parts.add(device(answer.model()));
        parts.add(answer.promptTokens() + " prompt + " + answer.completionTokens() + " answer tokens");
        if (t.visionMillis() > 0) {
            parts.add("vision " + duration(t.visionMillis()));
        }
        if (t.prefillMillis() > 0) {
            parts.add("prefill " + duration(t.prefillMillis()));
        }
        double rate = t.decodeTokensPerSecond();
        if (rate > 0) {
            parts.add(String.format(Locale.ROOT, rate >= 10 ? "%.0f tok/s" : "%.1f tok/s", rate));
        }
        parts.add(duration(t.totalMillis()));
        return String.join(" · ", parts);
    }

    /** "cpu", "gpu 0", or the device as the model names it. */
    static String device(ModelInfo model) {
        String d = model.device();
        if (d == null || d.isBlank()) {
            return "?";
        }
        String s = d.strip();
        if (s.endsWith("()")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.matches("\\w+\\(\\d+\\)")) {
            return s.replace("(", " ").replace(")", "");
        }
        return s;
    }

    /** "180 ms" below a second, "1.8 s" below a minute, "2 min 5 s" above. */
    static String duration(double millis) {
        // arithmetic, not String.format: a streamed answer formats its elapsed time on the generating thread
        if (millis < 1000) {
            return Math.round(millis) + " ms";
        }
        if (millis < 60_000) {
            long tenths = Math.round(millis / 100);
            return tenths / 10 + "." + tenths % 10 + " s";
        }
        long seconds = Math.round(millis / 1000);
        return seconds / 60 + " min " + seconds % 60 + " s";
    }
}
