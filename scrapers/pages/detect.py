"""Which platform produced a page: Blogger, WordPress, or a generic article (``tangguh fetch``)."""

from __future__ import annotations

from parsel import Selector


def detect_platform(html: str | Selector) -> str:
    """``blogger`` | ``wordpress`` | ``generic`` from generator meta and telltale markup."""
    sel = html if isinstance(html, Selector) else Selector(text=html or "<html></html>")
    generator = " ".join(sel.xpath("//meta[@name='generator']/@content").getall()).lower()
    if "blogger" in generator:
        return "blogger"
    if "wordpress" in generator or sel.xpath("//link[@rel='https://api.w.org/']"):
        return "wordpress"
    if sel.css(
        "div.post-body.entry-content, dl#comments-block, "
        "link[href*='blogger.com/feeds'], link[href*='.blogspot.com/feeds']"
    ):
        return "blogger"
    if sel.css(
        "link[href*='/wp-content/'], script[src*='/wp-includes/'], "
        "link[href*='/wp-includes/'], ol.comment-list li[id^='comment-'], "
        # comment markup only WordPress prints: the classic list, the comments block
        "ol.commentlist li[id^='comment-'], ol.commentlist li[id^='li-comment-'], "
        "ol.wp-block-comment-template"
    ):
        return "wordpress"
    return "generic"
