package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavadocTextTest {

    private static final String DOC = "Returns the part of this text that starts at {@code begin}.\n"
            + " See {@link java.lang.String#substring(int) substring} and {@link Object#toString}.\n"
            + " <p>\n"
            + " Example: <pre>\n"
            + "   \"abc\".from(1) // \"bc\"\n"
            + " </pre>\n"
            + " @param begin the first index, {@code >= 0}\n"
            + " @param  extra   unused\n"
            + " @return the rest &amp; nothing else\n"
            + " @throws IndexOutOfBoundsException if {@code begin} is too large\n";

    @Test
    void plainTextKeepsParagraphsCodeAndSections() {
        assertEquals("Returns the part of this text that starts at begin. See substring and Object.toString.\n"
                + "\n"
                + "Example:\n"
                + "\n"
                + "   \"abc\".from(1) // \"bc\"\n"
                + "\n"
                + "Parameters:\n"
                + "  begin - the first index, >= 0\n"
                + "  extra - unused\n"
                + "\n"
                + "Returns:\n"
                + "  the rest & nothing else\n"
                + "\n"
                + "Throws:\n"
                + "  IndexOutOfBoundsException - if begin is too large", JavadocText.plain(DOC));
    }

    @Test
    void htmlMarksCodeAndListsSections() {
        String html = JavadocText.html(DOC);
        assertEquals("<div>Returns the part of this text that starts at <code>begin</code>.\n"
                + " See <code>substring</code> and <code>Object.toString</code>.\n"
                + " <p>\n"
                + " Example: <pre>\n"
                + "   \"abc\".from(1) // \"bc\"\n"
                + " </pre></div>"
                + "<dl><dt>Parameters:</dt><dd>begin - the first index, <code>&gt;= 0</code></dd>"
                + "<dd>extra - unused</dd>"
                + "<dt>Returns:</dt><dd>the rest &amp; nothing else</dd>"
                + "<dt>Throws:</dt><dd>IndexOutOfBoundsException - if <code>begin</code> is too large</dd></dl>",
                html);
    }

    @Test
    void nestedBracesInCodeStayTogether() {
        assertEquals("Use Map<String, {x}> here.", JavadocText.plain("Use {@code Map<String, {x}>} here."));
    }
}
