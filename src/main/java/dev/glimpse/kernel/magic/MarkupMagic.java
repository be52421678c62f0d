package dev.glimpse.kernel.magic;

import java.util.function.Function;

/** {@code %%html} and {@code %%markdown}: show the cell body as that markup instead of running it. */
final class MarkupMagic implements CellMagic {
    private final String name;
    private final Function<String, Object> wrap;

    /** @param wrap turns the body into a displayable object, e.g. {@code dev.glimpse.display.Html::new} */
    MarkupMagic(String name, Function<String, Object> wrap) {
        this.name = name;
        this.wrap = wrap;
    }

    @Override
    public Object run(String args, String body, MagicContext context) {
        if (!args.isBlank()) {
            throw new MagicException("%%" + name + " takes no arguments: move \"" + args + "\" to the next line.");
        }
        context.display(wrap.apply(body));
        return null;
    }
}
