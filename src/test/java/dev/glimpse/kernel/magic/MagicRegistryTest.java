package dev.glimpse.kernel.magic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagicRegistryTest {
    private final MagicRegistry registry = new MagicRegistry();

    MagicRegistryTest() {
        registry.registerLineMagic("classpath", "Add jars.", (args, context) -> "cp " + args);
        registry.registerLineMagic("time", "Time a line.", (args, context) -> null);
        registry.registerCellMagic("time", "Time a cell.", (args, body, context) -> null);
        registry.registerCellMagic("html", "Show HTML.\nMore detail.", (args, body, context) -> null);
    }

    @Test
    void lineAndCellMagicsAreSeparateNamespaces() {
        assertEquals(List.of("classpath", "time"), registry.lineMagics().stream().map(MagicInfo::name).toList());
        assertEquals(List.of("%%html", "%%time"), registry.cellMagics().stream().map(MagicInfo::usage).toList());
        assertEquals(List.of("%time", "%%time"), registry.find("time").stream().map(MagicInfo::usage).toList());
        assertEquals("Show HTML.", registry.cellMagics().get(0).summary());
    }

    @Test
    void registeringAgainReplaces() throws Exception {
        LineMagic replacement = (args, context) -> "new";
        registry.registerLineMagic("classpath", "Replaced.", replacement);
        assertSame(replacement, registry.lineMagic("classpath"));
        assertEquals("Replaced.", registry.find("classpath").get(0).help());
    }

    @Test
    void completionsCoverBothKinds() {
        assertEquals(List.of("%classpath"), registry.completions("%cl"));
        assertEquals(List.of("%time", "%%time"), registry.completions("%t"));
        assertEquals(List.of("%%html", "%%time"), registry.completions("%%"));
        assertEquals(List.of(), registry.completions("cl"));
        assertEquals(4, registry.completions("%").size());
    }

    @Test
    void unknownMagicSuggestsTheClosestNames() {
        UnknownMagicException e = assertThrows(UnknownMagicException.class, () -> registry.lineMagic("clspath"));
        assertEquals(List.of("%classpath"), e.suggestions());
        assertEquals("Unknown line magic %clspath. Did you mean %classpath? Run %lsmagic to list the magics.",
                e.getMessage());
    }

    @Test
    void usingACellMagicOnALineSaysHowToUseIt() {
        UnknownMagicException e = assertThrows(UnknownMagicException.class, () -> registry.lineMagic("html"));
        assertTrue(e.getMessage().contains("%%html is a cell magic: put it on the first line of the cell."),
                e.getMessage());
        UnknownMagicException cell = assertThrows(UnknownMagicException.class, () -> registry.cellMagic("classpath"));
        assertTrue(cell.getMessage().contains("%classpath is a line magic"), cell.getMessage());
    }

    @Test
    void namesAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.registerLineMagic("%bad", "x", (args, context) -> null));
        assertTrue(e.getMessage().startsWith("Invalid magic name '%bad'"), e.getMessage());
    }

    @Test
    void closestNamesRanksPrefixesAndSmallTypos() {
        assertEquals(List.of("maven", "mavenRepo"), ClosestNames.closest("mave", List.of("mavenRepo", "maven", "load"), 3));
        assertEquals(List.of(), ClosestNames.closest("zzzzzz", List.of("maven", "load"), 3));
        assertEquals(2, ClosestNames.distance("kitten", "sitting") - 1);
    }
}
