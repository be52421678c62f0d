package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jdk.jshell.JShellException;

/**
 * Renders what cell code threw as the lines of a Jupyter traceback.
 *
 * <p>Frames come from JShell's translation of the stack ({@link JShellException#getStackTrace()}), in which a snippet
 * frame names the snippet ({@code #12}) and the line within it; this renderer turns that into the cell and the cell
 * line. JShell has already cut the frames below the snippet's entry point (reflection, the cell thread); the kernel's
 * own frames above it (the interrupt check, the exit guard) are dropped here. Causes follow as "Caused by:" with
 * frames shared with the enclosing trace elided, and a run of identical frames (deep recursion) is shown once.
 */
final class TracebackRenderer {

    /** Where a snippet came from: the cell's name and the cell line the snippet's code starts on. */
    record SnippetOrigin(String cellName, int firstLine) {
    }

    private static final String INDENT = "    ";
    private static final String OWN_PACKAGE = CellInterrupt.class.getPackageName() + ".";
    private static final int MAX_FRAMES = 60;

    private final Function<String, SnippetOrigin> originOfSnippet;

    TracebackRenderer(Function<String, SnippetOrigin> originOfSnippet) {
        this.originOfSnippet = originOfSnippet;
    }

    /**
     * @param heading    the first line, such as {@code thrown.toString()} or "Interrupted"
     * @param thrown     the real throwable, or null when only JShell's translation is known
     * @param translated JShell's translation of {@code thrown}, or null
     */
    List<String> render(String heading, Throwable thrown, JShellException translated) {
        List<String> lines = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> enclosing = List.of();
        Throwable current = thrown;
        Throwable currentTranslated = translated;
        boolean first = true;
        while ((current != null || currentTranslated != null) && seen.add(current != null ? current : currentTranslated)) {
            lines.add(first ? heading : "Caused by: " + describe(current, currentTranslated));
            List<String> frames = frames(current, currentTranslated);
            int shared = sharedTail(frames, enclosing);
            lines.addAll(collapsed(frames.subList(0, frames.size() - shared)));
            if (shared > 0) {
                lines.add(INDENT + "... " + shared + " more");
            }
            enclosing = frames;
            current = current == null ? null : current.getCause();
            currentTranslated = currentTranslated == null ? null : currentTranslated.getCause();
            first = false;
        }
        return lines;
    }

    private static String describe(Throwable thrown, Throwable translated) {
        if (thrown != null) {
            return thrown.toString();
        }
        return translated.getMessage() == null ? translated.getClass().getName() : translated.getMessage();
    }

    private List<String> frames(Throwable thrown, Throwable translated) {
        StackTraceElement[] elements = translated != null ? translated.getStackTrace() : untilCellEntry(thrown);
        List<String> frames = new ArrayList<>(elements.length);
        for (StackTraceElement element : elements) {
            if (!element.getClassName().startsWith(OWN_PACKAGE)) {
                frames.add(INDENT + "at " + frame(element));
            }
        }
        return frames;
    }

    /** Without JShell's translation: the frames above the reflective call into the snippet. */
    private static StackTraceElement[] untilCellEntry(Throwable thrown) {
        StackTraceElement[] all = thrown.getStackTrace();
        for (int i = 0; i < all.length; i++) {
            String type = all[i].getClassName();
            if (type.startsWith("jdk.internal.reflect.") || type.equals("java.lang.reflect.Method")) {
                return java.util.Arrays.copyOf(all, i);
            }
        }
        return all;
    }

    private String frame(StackTraceElement element) {
        String file = element.getFileName();
        if (file != null && file.startsWith("#")) {
            String snippetId = file.substring(1);
            SnippetOrigin origin = originOfSnippet.apply(snippetId);
            String where = origin == null
                    ? "snippet " + snippetId + " line " + element.getLineNumber()
                    : origin.cellName() + " line " + (origin.firstLine() + element.getLineNumber() - 1);
            String what = snippetMember(element.getClassName(), element.getMethodName());
            return what.isEmpty() ? where : what + " (" + where + ")";
        }
        String location;
        if (element.isNativeMethod()) {
            location = "Native Method";
        } else if (file == null) {
            location = "Unknown Source";
        } else {
            location = element.getLineNumber() >= 0 ? file + ":" + element.getLineNumber() : file;
        }
        return element.getClassName() + "." + element.getMethodName() + "(" + location + ")";
    }

    /**
     * How a frame of snippet code reads: {@code boom} for a method declared in a cell, {@code Point.norm} for a
     * method of a class declared in a cell, {@code lambda in boom}; empty for the cell's own statements.
     */
    static String snippetMember(String className, String methodName) {
        String member;
        if (methodName.isEmpty() || methodName.equals("do_it$")) {
            member = "";
        } else if (methodName.startsWith("lambda$")) {
            String owner = methodName.substring("lambda$".length(), Math.max("lambda$".length(), methodName.lastIndexOf('$')));
            if (owner.endsWith("$")) {
                owner = owner.substring(0, owner.length() - 1);
            }
            member = owner.isEmpty() || owner.equals("do_it") ? "lambda" : "lambda in " + owner;
        } else if (methodName.equals("<init>")) {
            return "new " + className;
        } else if (methodName.equals("<clinit>")) {
            return className + " static initializer";
        } else {
            member = methodName;
        }
        if (className.isEmpty()) {
            return member;
        }
        return member.isEmpty() ? className : className + "." + member;
    }

    private static int sharedTail(List<String> frames, List<String> enclosing) {
        int shared = 0;
        while (shared < frames.size() && shared < enclosing.size()
                && frames.get(frames.size() - 1 - shared).equals(enclosing.get(enclosing.size() - 1 - shared))) {
            shared++;
        }
        return shared;
    }

    /** Runs of one frame (recursion) become the frame and a count; more than {@link #MAX_FRAMES} lines are cut. */
    private static List<String> collapsed(List<String> frames) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < frames.size()) {
            int run = 1;
            while (i + run < frames.size() && frames.get(i + run).equals(frames.get(i))) {
                run++;
            }
            lines.add(frames.get(i));
            if (run > 1) {
                lines.add(INDENT + "... the frame above repeats " + (run - 1) + " more times");
            }
            i += run;
        }
        if (lines.size() > MAX_FRAMES) {
            int cut = lines.size() - MAX_FRAMES;
            lines = new ArrayList<>(lines.subList(0, MAX_FRAMES));
            lines.add(INDENT + "... " + cut + " more lines");
        }
        return lines;
    }
}
