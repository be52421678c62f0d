package dev.glimpse.kernel.magic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into {@link CellSegment}s.
 *
 * <ul>
 *   <li>If the first line starts with {@code %%name}, the whole cell is one cell magic: the rest of that line is
 *       its arguments, the other lines its body.</li>
 *   <li>Otherwise every line that starts with {@code %name} (leading whitespace allowed) is a line magic, and the
 *       lines between magics are Java code. Lines inside a block comment or text block are never magics.</li>
 * </ul>
 *
 * <p>A magic name starts with a letter or {@code _} and may contain letters, digits, {@code _ . -}. Java's
 * {@code %} operator can still begin a continuation line when a space follows it ({@code % 2}).
 */
public final class CellParser {
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z_][\\w.-]*)(.*)$");
    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z_][\\w.-]*)(.*)$");
    private static final Pattern MISPLACED_CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z_][\\w.-]*)");

    private CellParser() {
    }

    /**
     * The segments of {@code cell} in order. Code keeps its lines verbatim except trailing blank lines; code that is
     * only blank lines is left out.
     *
     * @throws MagicException if a {@code %%name} line is not the first line of the cell
     */
    public static List<CellSegment> parse(String cell) {
        List<String> lines = Arrays.asList(cell.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
        Matcher cellMagic = CELL_MAGIC.matcher(lines.get(0));
        if (cellMagic.matches()) {
            String body = String.join("\n", lines.subList(1, lines.size()));
            return List.of(new CellSegment.CellMagicCall(cellMagic.group(1), cellMagic.group(2).strip(), body, 1));
        }

        List<CellSegment> segments = new ArrayList<>();
        List<String> code = new ArrayList<>();
        int codeStart = 1;
        JavaLexState state = JavaLexState.CODE;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            if (state == JavaLexState.CODE) {
                Matcher misplaced = MISPLACED_CELL_MAGIC.matcher(line);
                if (misplaced.lookingAt()) {
                    throw new MagicException("Cell magic %%" + misplaced.group(1) + " on line " + lineNumber
                            + " must be the first line of the cell; move it there or split the cell.");
                }
                Matcher lineMagic = LINE_MAGIC.matcher(line);
                if (lineMagic.matches()) {
                    addCode(segments, code, codeStart);
                    segments.add(new CellSegment.LineMagicCall(lineMagic.group(1), lineMagic.group(2).strip(),
                            lineNumber));
                    code.clear();
                    codeStart = lineNumber + 1;
                    continue;
                }
            }
            code.add(line);
            state = state.after(line);
        }
        addCode(segments, code, codeStart);
        return segments;
    }

    /** Adds the pending code lines, without trailing blank lines, unless they are all blank. */
    private static void addCode(List<CellSegment> segments, List<String> code, int start) {
        int end = code.size();
        while (end > 0 && code.get(end - 1).isBlank()) {
            end--;
        }
        if (code.subList(0, end).stream().anyMatch(line -> !line.isBlank())) {
            segments.add(new CellSegment.Code(String.join("\n", code.subList(0, end)), start));
        }
    }
}
