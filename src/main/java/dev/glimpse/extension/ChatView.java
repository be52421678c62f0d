package dev.glimpse.extension;

import dev.glimpse.display.Html;
import dev.glimpse.display.ImageFormat;
import dev.glimpse.display.ImageRenderer;

/** A {@link Chat} as its transcript: each question (with small thumbnails) and answer. */
final class ChatView {

    static final int THUMBNAIL_SIDE = 160;

    private ChatView() {
    }

    static Bundle bundle(Chat chat) {
        StringBuilder html = new StringBuilder("<div class=\"glimpse-chat\" style=\"line-height:1.45\">\n");
        StringBuilder md = new StringBuilder();
        StringBuilder plain = new StringBuilder(chat.toString());
        if (chat.turns() == 0) {
            html.append("<div style=\"color:#888\">An empty chat: ask it something with .ask(..)</div>");
            md.append("*An empty chat: ask it something with .ask(..)*");
        }
        for (Answer a : chat.history()) {
            html.append("<div style=\"margin:6px 0\"><b>You:</b> ").append(Html.escape(a.prompt()));
            for (Image image : a.images()) {
                html.append(" <img style=\"vertical-align:top;max-height:").append(THUMBNAIL_SIDE)
                        .append("px\" src=\"data:image/png;base64,")
                        .append(ImageRenderer.base64(BoxPainter.scaled(image.pixels(), THUMBNAIL_SIDE),
                                ImageFormat.PNG))
                        .append("\" title=\"").append(Html.escape(image.source())).append("\">");
            }
            html.append("</div>\n<div style=\"margin:6px 0 10px 16px\"><b>")
                    .append(Html.escape(a.model().name())).append(":</b> ")
                    .append(MarkdownHtml.render(BoxMarkers.plain(a.text()))).append("</div>\n");
            md.append("**You:** ").append(a.prompt()).append(a.images().isEmpty() ? "" : " *(" + a.images().size()
                    + " image" + (a.images().size() == 1 ? "" : "s") + ")*").append("\n\n**")
                    .append(a.model().name()).append(":** ").append(BoxMarkers.plain(a.text())).append("\n\n");
            plain.append("\nYou: ").append(a.prompt()).append('\n').append(a.model().name()).append(": ")
                    .append(BoxMarkers.plain(a.text()));
        }
        return new Bundle().put(Bundle.HTML, html.append("</div>").toString()).put(Bundle.MARKDOWN, md.toString().strip())
                .put(Bundle.PLAIN, plain.toString());
    }
}
