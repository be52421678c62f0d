package dev.glimpse.engine.hub;

import java.util.Locale;

/** Sizes as the Hub shows them: decimal units, one decimal, {@code 20.6 GB}. */
public final class ByteCount {

    private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

    private ByteCount() {
    }

    /** {@code 999 B}, {@code 1.5 kB}, {@code 20.6 GB}. */
    public static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < UNITS.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }
}
