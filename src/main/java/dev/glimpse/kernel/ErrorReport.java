package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.protocol.Json;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * An error as Jupyter shows it: a name, a value and traceback lines.
 *
 * @param ename     the error's name, e.g. the exception class
 * @param evalue    its message
 * @param traceback lines shown to the user
 */
record ErrorReport(String ename, String evalue, List<String> traceback) {

    ErrorReport {
        evalue = evalue == null ? "" : evalue;
        traceback = List.copyOf(traceback);
    }

    /** A report for an unexpected throwable from kernel or extension code (not a cell's own failure). */
    static ErrorReport of(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return new ErrorReport(t.getClass().getName(), String.valueOf(t.getMessage()),
                List.of(trace.toString().split("\n")));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("ename", ename);
        node.put("evalue", evalue);
        ArrayNode lines = node.putArray("traceback");
        traceback.forEach(lines::add);
        return node;
    }
}
