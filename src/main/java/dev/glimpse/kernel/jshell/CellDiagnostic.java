package dev.glimpse.kernel.jshell;

/**
 * A compiler error located in the cell.
 *
 * @param line       1-based line within the notebook cell
 * @param column     1-based column
 * @param length     how many characters of the line the error covers (at least 1)
 * @param message    the compiler's message, free of JShell's wrapper classes
 * @param sourceLine the text of that line of the cell
 */
public record CellDiagnostic(int line, int column, int length, String message, String sourceLine) {
}
