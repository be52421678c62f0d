package dev.glimpse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One case of the bf16 product fixture that bench/engine/linear_bench.py writes ({@code fixture DIR SHAPES}):
 * {@code DIR/OUTxIN/} holds {@code w.bin} ([out, in]), {@code x.bin} ([in]) and {@code y.bin} (torch's
 * {@code F.linear(x, w)}, [out]), raw little-endian bf16; {@code DIR/cases.txt} lists the cases. Read by the DJL and
 * the JavaCPP benches (JDK only, compiled into both).
 */
public record LinearFixtureCase(Path dir, long out, long in) {

    public static List<LinearFixtureCase> read(Path root) throws IOException {
        return Files.readAllLines(root.resolve("cases.txt")).stream().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> {
                    String[] nk = l.split("x");
                    return new LinearFixtureCase(root.resolve(l), Long.parseLong(nk[0]), Long.parseLong(nk[1]));
                }).toList();
    }

    public Path weight() {
        return dir.resolve("w.bin");
    }

    public Path row() {
        return dir.resolve("x.bin");
    }

    public Path expected() {
        return dir.resolve("y.bin");
    }

    /** {@code OUTxIN}, as in cases.txt. */
    public String shape() {
        return out + "x" + in;
    }
}
