package dev.glimpse.kernel.magic;

import java.util.List;

/** {@code %help [name]}: help for every magic plus the notebook API, or for one magic. */
final class HelpMagic implements LineMagic {
    static final String HELP = """
            Show help: %help lists every magic and the notebook API; %help maven (or %help %maven) shows one magic.""";

    private final MagicRegistry registry;
    private final String notebookApi;

    HelpMagic(MagicRegistry registry, String notebookApi) {
        this.registry = registry;
        this.notebookApi = notebookApi;
    }

    @Override
    public Object run(String args, MagicContext context) {
        String name = args.strip().replaceFirst("^%{1,2}", "");
        context.out().println(name.isEmpty() ? everything() : one(name));
        return null;
    }

    private String everything() {
        StringBuilder text = new StringBuilder("Magics\n\n");
        for (MagicInfo magic : registry.lineMagics()) {
            text.append(entry(magic)).append("\n\n");
        }
        for (MagicInfo magic : registry.cellMagics()) {
            text.append(entry(magic)).append("\n\n");
        }
        return text.append("Notebook API\n\n").append(notebookApi.strip()).toString();
    }

    private String one(String name) {
        List<MagicInfo> found = registry.find(name);
        if (found.isEmpty()) {
            throw new UnknownMagicException(name, MagicInfo.Kind.LINE, ClosestNames.closest(name,
                    registry.lineMagics().stream().map(MagicInfo::name).toList(), 3).stream().map(n -> "%" + n).toList(),
                    "");
        }
        StringBuilder text = new StringBuilder();
        for (MagicInfo magic : found) {
            text.append(text.length() == 0 ? "" : "\n\n").append(entry(magic));
        }
        return text.toString();
    }

    private static String entry(MagicInfo magic) {
        return magic.usage() + "\n" + magic.help().strip().indent(4).stripTrailing();
    }
}
