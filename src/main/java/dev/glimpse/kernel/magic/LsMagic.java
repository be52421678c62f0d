package dev.glimpse.kernel.magic;

import java.util.List;
import java.util.stream.Collectors;

/** {@code %lsmagic}: lists the registered magics. */
final class LsMagic implements LineMagic {
    static final String HELP = "List all line and cell magics.";

    private final MagicRegistry registry;

    LsMagic(MagicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Object run(String args, MagicContext context) {
        context.out().println(listing(registry));
        return null;
    }

    static String listing(MagicRegistry registry) {
        return "Line magics: " + usages(registry.lineMagics()) + "\n"
                + "Cell magics: " + usages(registry.cellMagics()) + "\n"
                + "Run %help <name> for details.";
    }

    private static String usages(List<MagicInfo> magics) {
        return magics.isEmpty() ? "(none)" : magics.stream().map(MagicInfo::usage).collect(Collectors.joining(" "));
    }
}
