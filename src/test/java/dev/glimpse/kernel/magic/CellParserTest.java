package dev.glimpse.kernel.magic;

import dev.glimpse.kernel.magic.CellSegment.CellMagicCall;
import dev.glimpse.kernel.magic.CellSegment.Code;
import dev.glimpse.kernel.magic.CellSegment.LineMagicCall;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellParserTest {

    @Test
    void plainJavaIsOneCodeSegment() {
        assertEquals(List.of(new Code("int x = 1;\nx + 1", 1)), CellParser.parse("int x = 1;\nx + 1"));
    }

    @Test
    void lineMagicsSplitCodeAndKeepLineNumbers() {
        String cell = """
                %maven org.example:lib:1.0
                import org.example.Lib;
                var lib = new Lib();
                  %time lib.run()
                lib.close();""";
        assertEquals(List.of(
                new LineMagicCall("maven", "org.example:lib:1.0", 1),
                new Code("import org.example.Lib;\nvar lib = new Lib();", 2),
                new LineMagicCall("time", "lib.run()", 4),
                new Code("lib.close();", 5)), CellParser.parse(cell));
    }

    @Test
    void cellMagicTakesTheRestOfTheCell() {
        assertEquals(List.of(new CellMagicCall("time", "", "var a = 1;\n%load x.jsh", 1)),
                CellParser.parse("  %%time\nvar a = 1;\n%load x.jsh"));
        assertEquals(List.of(new CellMagicCall("html", "--x", "", 1)), CellParser.parse("%%html --x"));
    }

    @Test
    void cellMagicBelowTheFirstLineIsAnError() {
        MagicException e = assertThrows(MagicException.class, () -> CellParser.parse("int a = 1;\n%%time\na++;"));
        assertEquals("Cell magic %%time on line 2 must be the first line of the cell; move it there or split the"
                + " cell.", e.getMessage());
    }

    @Test
    void percentLinesInCommentsAndTextBlocksAreCode() {
        String cell = "String s = \"\"\"\n%not a magic\n\"\"\";\n/* start\n%neither\n*/ %lsmagic_not\n%lsmagic";
        List<CellSegment> segments = CellParser.parse(cell);
        assertEquals(List.of(
                new Code("String s = \"\"\"\n%not a magic\n\"\"\";\n/* start\n%neither\n*/ %lsmagic_not", 1),
                new LineMagicCall("lsmagic", "", 7)), segments);
    }

    @Test
    void quotesAndLineCommentsDoNotOpenBlocks() {
        String cell = "String a = \"/*\"; // \"\"\" \nchar c = '\"';\n%lsmagic";
        assertEquals(new LineMagicCall("lsmagic", "", 3), CellParser.parse(cell).get(1));
    }

    @Test
    void moduloContinuationWithASpaceStaysJava() {
        assertEquals(List.of(new Code("int r = 17\n    % 5;", 1)), CellParser.parse("int r = 17\n    % 5;"));
    }

    @Test
    void blankCodeBetweenMagicsIsDroppedAndCrLfIsHandled() {
        assertEquals(List.of(new LineMagicCall("jars", "a.jar", 1), new LineMagicCall("lsmagic", "", 3),
                new Code("1 + 1", 4)), CellParser.parse("%jars a.jar\r\n\r\n%lsmagic\r\n1 + 1\r\n"));
        assertTrue(CellParser.parse("   \n").isEmpty());
    }

    @Test
    void magicNamesMayHaveDotsAndDashes() {
        assertEquals(List.of(new LineMagicCall("glimpse.model-info", "x", 1)), CellParser.parse("%glimpse.model-info x"));
    }
}
