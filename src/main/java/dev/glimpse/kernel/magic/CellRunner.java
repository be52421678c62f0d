package dev.glimpse.kernel.magic;

import java.util.List;

/**
 * Runs a cell's segments in order: Java code through {@link MagicContext#eval}, magics through the registry.
 * Magics that run code themselves ({@code %load}, {@code %time}) use it too, so such code may contain magics.
 */
public final class CellRunner {
    private final MagicRegistry registry;

    public CellRunner(MagicRegistry registry) {
        this.registry = registry;
    }

    /**
     * Parses and runs {@code cell}.
     *
     * @return the value of the last segment ({@code null} if it has none)
     * @throws Exception the first failure; later segments do not run
     */
    public Object run(String cell, MagicContext context) throws Exception {
        return run(CellParser.parse(cell), context);
    }

    /** Runs already parsed segments; see {@link #run(String, MagicContext)}. */
    public Object run(List<CellSegment> segments, MagicContext context) throws Exception {
        Object value = null;
        for (CellSegment segment : segments) {
            value = run(segment, context);
        }
        return value;
    }

    /** Runs one segment and returns its value. */
    public Object run(CellSegment segment, MagicContext context) throws Exception {
        if (segment instanceof CellSegment.Code code) {
            return context.eval(code.source());
        }
        if (segment instanceof CellSegment.LineMagicCall call) {
            return registry.lineMagic(call.name()).run(call.args(), context);
        }
        CellSegment.CellMagicCall call = (CellSegment.CellMagicCall) segment;
        return registry.cellMagic(call.name()).run(call.args(), call.body(), context);
    }
}
