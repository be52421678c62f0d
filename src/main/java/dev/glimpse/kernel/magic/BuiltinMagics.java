package dev.glimpse.kernel.magic;

import dev.glimpse.display.Html;
import dev.glimpse.display.Markdown;

import java.util.function.Supplier;

/**
 * Installs the standard magics: {@code %classpath} / {@code %jars}, {@code %maven}, {@code %load}, {@code %time},
 * {@code %%time}, {@code %%html}, {@code %%markdown}, {@code %lsmagic}, {@code %help}.
 */
public final class BuiltinMagics {
    /** What {@code %help} shows under "Notebook API" unless the kernel passes its own summary. */
    public static final String NOTEBOOK_API = """
            display(value)                  show any value below the cell now; returns a display id
            display(value, "text/html")     show it as the given MIME types only
            updateDisplay(id, value)        replace what an earlier display(...) showed
            html("<b>…</b>"), markdown("# …"), latex("$x^2$"), math("x^2"), svg("<svg…>"), json(object or text)
                                            wrap text so that it shows as that type
            BufferedImage, Path/File of a .png/.jpg/.gif/.svg, Tablesaw Table, Throwable
                                            show as images, an HTML table and a formatted error when they are the
                                            value of a cell or passed to display(...)""";

    private BuiltinMagics() {
    }

    /**
     * Installs the standard magics with the default notebook API help. {@code %maven} reads
     * {@code ~/.m2/settings.xml} on first use, so a broken file fails that magic, not the kernel start.
     */
    public static void install(MagicRegistry registry) {
        install(registry, NOTEBOOK_API);
    }

    /** As {@link #install(MagicRegistry)}, with the kernel's own summary of its notebook helpers for {@code %help}. */
    public static void install(MagicRegistry registry, String notebookApi) {
        install(registry, () -> new MavenResolver(MavenSettings.load()), notebookApi);
    }

    /**
     * Installs the standard magics.
     *
     * @param maven       the resolver {@code %maven} uses (tests pass one with offline settings)
     * @param notebookApi the text {@code %help} shows for the notebook's static helpers
     */
    public static void install(MagicRegistry registry, MavenResolver maven, String notebookApi) {
        install(registry, () -> maven, notebookApi);
    }

    private static void install(MagicRegistry registry, Supplier<MavenResolver> maven, String notebookApi) {
        CellRunner runner = new CellRunner(registry);
        ClasspathMagic classpath = new ClasspathMagic();
        registry.registerLineMagic("classpath", ClasspathMagic.HELP, classpath);
        registry.registerLineMagic("jars", "Alias of %classpath.\n" + ClasspathMagic.HELP, classpath);
        registry.registerLineMagic("maven", MavenMagic.HELP, new MavenMagic(maven));
        registry.registerLineMagic("load", LoadMagic.HELP, new LoadMagic(runner));
        TimeMagic time = new TimeMagic(runner);
        registry.registerLineMagic("time", TimeMagic.LINE_HELP, time);
        registry.registerCellMagic("time", TimeMagic.CELL_HELP, time);
        registry.registerCellMagic("html", "Show the cell body as HTML.", new MarkupMagic("html", Html::new));
        registry.registerCellMagic("markdown", "Show the cell body as Markdown.",
                new MarkupMagic("markdown", Markdown::new));
        registry.registerLineMagic("lsmagic", LsMagic.HELP, new LsMagic(registry));
        registry.registerLineMagic("help", HelpMagic.HELP, new HelpMagic(registry, notebookApi));
    }
}
