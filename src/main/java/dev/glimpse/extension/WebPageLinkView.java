package dev.glimpse.extension;

import dev.glimpse.display.Html;

/** How {@link WebPageLink} shows in a cell: a link that opens the page in a new tab. */
final class WebPageLinkView {

    private WebPageLinkView() {
    }

    static Bundle bundle(WebPageLink link) {
        String url = Html.escape(link.url().toString());
        String html = "<p class=\"glimpse-web-page\">Glimpse web page for <b>" + Html.escape(link.model())
                + "</b>: <a href=\"" + url + "\" target=\"_blank\" rel=\"noopener\">" + url + "</a><br>"
                + "<small>Drop photos there and ask. It stops with the kernel, or with <code>stopWebPage()</code>; "
                + "OpenAI clients can use " + Html.escape(link.apiRoot().toString()) + " too.</small></p>";
        return new Bundle().put(Bundle.HTML, html).put(Bundle.PLAIN, link.toString());
    }
}
