package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw Javadoc comment (HTML with inline tags such as {@code {@code x}} and block tags such as
 * {@code @param}) into readable plain text or simple HTML, for inspection replies.
 */
final class JavadocText {

    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^[ \\t]*@(\\w+)");
    private static final Pattern PRE = Pattern.compile("(?is)<pre[^>]*>(.*?)</pre>");
    private static final Map<String, String> SECTION_TITLES = Map.of(
            "param", "Parameters", "return", "Returns", "throws", "Throws", "exception", "Throws",
            "see", "See also", "since", "Since", "deprecated", "Deprecated", "author", "Author",
            "version", "Version", "apiNote", "API note");

    private final String description;
    private final Map<String, List<String>> sections = new LinkedHashMap<>();

    private JavadocText(String javadoc) {
        Matcher tag = BLOCK_TAG.matcher(javadoc);
        int descriptionEnd = javadoc.length();
        List<int[]> starts = new ArrayList<>();
        while (tag.find()) {
            starts.add(new int[] {tag.start(), tag.end()});
        }
        if (!starts.isEmpty()) {
            descriptionEnd = starts.get(0)[0];
        }
        this.description = javadoc.substring(0, descriptionEnd).strip();
        for (int i = 0; i < starts.size(); i++) {
            int[] at = starts.get(i);
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : javadoc.length();
            String name = javadoc.substring(at[0], at[1]).strip().substring(1);
            String body = javadoc.substring(at[1], end).strip();
            if (name.equals("param") || name.equals("throws") || name.equals("exception")) {
                int space = firstSpace(body);
                body = space < 0 ? body : body.substring(0, space) + " - " + body.substring(space).strip();
            }
            sections.computeIfAbsent(SECTION_TITLES.getOrDefault(name, name), k -> new ArrayList<>()).add(body);
        }
    }

    /** The comment as plain text: paragraphs, {@code <pre>} blocks kept, then a section per block tag kind. */
    static String plain(String javadoc) {
        JavadocText text = new JavadocText(javadoc);
        StringBuilder out = new StringBuilder(plainHtml(text.description));
        text.sections.forEach((title, entries) -> {
            out.append("\n\n").append(title).append(':');
            for (String entry : entries) {
                out.append("\n  ").append(plainHtml(entry).replace("\n", "\n  "));
            }
        });
        return out.toString().strip();
    }

    /** The comment as HTML: the description as written, then the block tags as a definition list. */
    static String html(String javadoc) {
        JavadocText text = new JavadocText(javadoc);
        StringBuilder out = new StringBuilder("<div>").append(inlineTags(text.description, true)).append("</div>");
        if (!text.sections.isEmpty()) {
            out.append("<dl>");
            text.sections.forEach((title, entries) -> {
                out.append("<dt>").append(escape(title)).append(":</dt>");
                for (String entry : entries) {
                    out.append("<dd>").append(inlineTags(entry, true)).append("</dd>");
                }
            });
            out.append("</dl>");
        }
        return out.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String plainHtml(String html) {
        String text = inlineTags(html, false);
        StringBuilder out = new StringBuilder();
        Matcher pre = PRE.matcher(text);
        int last = 0;
        while (pre.find()) {
            out.append(flow(text.substring(last, pre.start())));
            out.append("\n\n").append(unescape(stripTags(pre.group(1))).stripTrailing()).append("\n\n");
            last = pre.end();
        }
        out.append(flow(text.substring(last)));
        return out.toString().replaceAll("[ \t]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
    }

    /** Running text: tags that break lines become line breaks, other tags vanish, blank space collapses. */
    private static String flow(String html) {
        String text = html
                .replaceAll("(?i)<p\\s*/?>|</p>|<(?:ul|ol|/ul|/ol|blockquote|/blockquote)[^>]*>", "\u0000\u0000")
                .replaceAll("(?i)<li[^>]*>", "\u0000 - ")
                .replaceAll("(?i)<br\\s*/?>", "\u0000");
        text = unescape(stripTags(text)).replaceAll("\\s+", " ");
        return text.replace("\u0000 ", "\u0000").replace(" \u0000", "\u0000").replace('\u0000', '\n');
    }

    private static String stripTags(String html) {
        return html.replaceAll("<[^>]+>", "");
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }

    /** Replaces {@code {@code x}}, {@code {@link A#b label}} and the like by their text (in HTML: code spans). */
    private static String inlineTags(String text, boolean html) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("{@", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            int end = matchingBrace(text, start);
            String inner = text.substring(start + 2, end).strip();
            int space = firstSpace(inner);
            String name = space < 0 ? inner : inner.substring(0, space);
            String argument = space < 0 ? "" : inner.substring(space).strip();
            out.append(inlineTag(name, argument, html));
            i = Math.min(text.length(), end + 1);
        }
        return out.toString();
    }

    private static String inlineTag(String name, String argument, boolean html) {
        switch (name) {
            case "code", "literal", "value", "systemProperty" -> {
                // escaped in plain text too: the text is HTML until its tags are stripped and entities resolved
                String escaped = escape(argument);
                return !html || name.equals("literal") ? escaped : "<code>" + escaped + "</code>";
            }
            case "link", "linkplain" -> {
                int space = firstSpace(argument);
                String shown = space < 0
                        ? argument.replaceFirst("^#", "").replace('#', '.')
                        : argument.substring(space).strip();
                return html && name.equals("link") ? "<code>" + escape(shown) + "</code>" : escape(shown);
            }
            case "inheritDoc", "docRoot", "index" -> {
                return name.equals("index") ? argument : "";
            }
            default -> {
                return argument;
            }
        }
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    private static int firstSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
