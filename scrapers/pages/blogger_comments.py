"""Blogger comments from a post page: the threaded template and the classic one.

Two comment templates exist in the wild: the modern threaded one (``li.comment#cID`` with
replies nested in ``.comment-replies``) and the classic ``dl#comments-block`` (plus the
layouts-v2 ``#comments-block div.comment`` variant). The comment time comes from the
``showComment=<epoch ms>`` permalink, which is locale-independent; the visible string is
kept as the raw date. Anonymous commenters ("Anonim", "Anonymous", "Unknown") get a null
author with the label kept in the field sources (``scrapers.pages.commenters``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from parsel import Selector

from scrapers.items import DocumentItem
from scrapers.pages.base import node_text
from scrapers.pages.blogger_feed import show_comment_ms
from scrapers.pages.commenters import set_author
from scrapers.pages.text import element_text, first, is_deleted_comment
from scrapers.provenance import mark


def comment_template(sel: Selector) -> str:
    """``threaded``, ``classic`` or ``none``."""
    if sel.css("li.comment[id^='c'], .comment-thread"):
        return "threaded"
    if sel.css("#comments-block"):
        return "classic"
    return "none"


def page_comments(
    sel: Selector, post_url: str, absolute: Callable[[str], str]
) -> list[DocumentItem]:
    """Every comment on the page; ``absolute`` resolves the page's relative links."""
    if comment_template(sel) == "threaded":
        return _threaded(sel, post_url, absolute)
    return _classic(sel, post_url, absolute)


def _threaded(sel: Selector, post_url: str, absolute: Callable[[str], str]) -> list[DocumentItem]:
    out: list[DocumentItem] = []
    permalinks: dict[str, str] = {}
    for li in sel.css("li.comment[id^='c']"):
        cid = (li.attrib.get("id") or "")[1:]
        if not cid.isdigit():
            continue
        block = li.xpath("./div[contains(@class,'comment-block')]")
        block = block[0] if block else li
        link = block.css(
            ".datetime a::attr(href), .comment-header a[href*='showComment']::attr(href)"
        ).get()
        visible = first([node_text(block.css(".datetime a, .datetime"))])
        author = first(
            [
                node_text(block.css("cite.user a")),
                node_text(block.css("cite.user, .user")),
                # custom themes restyle the header but keep Blogger's <cite>
                node_text(block.css(".comment-header cite a, .comment-header cite")),
            ]
        )
        content = block.css(".comment-content")
        body = element_text(content[0].root) if content else ""
        deleted = (
            bool(block.css(".deleted-comment"))
            or is_deleted_comment(body)
            or ("deleted" in (li.attrib.get("class") or ""))
        )
        url = _comment_url(post_url, cid, absolute(link) if link else None)
        permalinks[cid] = url
        parent = li.xpath(
            "ancestor::li[contains(concat(' ',normalize-space(@class),' '),' comment ')][1]/@id"
        ).get()
        out.append(_comment_item(post_url, url, author, visible, body, deleted, parent))
    return _resolve_replies(out, permalinks)


def _classic(sel: Selector, post_url: str, absolute: Callable[[str], str]) -> list[DocumentItem]:
    out: list[DocumentItem] = []
    block = sel.css("#comments-block")
    if not block:
        return out
    block = block[0]
    # layouts v2 non-threaded: div.comment#cID > div.comment-block
    for div in block.css("div.comment[id^='c']"):
        cid = (div.attrib.get("id") or "")[1:]
        link = div.css(".comment-timestamp a::attr(href), .comment-footer a::attr(href)").get()
        visible = first([node_text(div.css(".comment-timestamp a"))])
        author = first(
            [
                node_text(div.css(".comment-author a")),
                node_text(div.css(".comment-author")),
            ]
        )
        content = div.css(".comment-body")
        body = element_text(content[0].root) if content else ""
        deleted = bool(div.css(".deleted-comment")) or is_deleted_comment(body)
        url = _comment_url(post_url, cid, absolute(link) if link else None)
        out.append(_comment_item(post_url, url, author, visible, body, deleted))
    if out:
        return out
    # v1: dt.comment-author, dd.comment-body, dd.comment-footer in sequence
    for dt in block.css("dt.comment-author, dt[id^='c']"):
        cid = (dt.attrib.get("id") or "")[1:] or (dt.css("a[name]::attr(name)").get() or "")[1:]
        body_dd = dt.xpath("following-sibling::dd[contains(@class,'comment-body')][1]")
        foot_dd = dt.xpath("following-sibling::dd[contains(@class,'comment-footer')][1]")
        link = foot_dd.css(
            "a[href*='showComment']::attr(href), .comment-timestamp a::attr(href)"
        ).get()
        visible = first([node_text(foot_dd.css(".comment-timestamp a, a[href*='showComment']"))])
        author = first(
            [
                "".join(dt.xpath("./a[not(@name)]//text()").getall()),
                node_text([dt]),
            ]
        )
        body = element_text(body_dd[0].root) if body_dd else ""
        deleted = bool(body_dd.css(".deleted-comment")) or is_deleted_comment(body)
        if not cid.isdigit():
            ms = show_comment_ms(link or "")
            cid = (link or "").rsplit("#c", 1)[-1] if link and "#c" in link else str(ms or "")
        url = _comment_url(post_url, cid, absolute(link) if link else None)
        out.append(_comment_item(post_url, url, author, visible, body, deleted))
    return out


def _comment_url(post_url: str, cid: str, link: str | None) -> str:
    """``POST?showComment=MS#cID`` when the page gives the time, else ``POST#cID``."""
    ms = show_comment_ms(link) if link else None
    if ms is not None:
        return f"{post_url}?showComment={ms}#c{cid}"
    return f"{post_url}#c{cid}"


def _comment_item(
    post_url: str,
    url: str,
    author: str | None,
    visible: str | None,
    body: str,
    deleted: bool,
    parent_id: str | None = None,
) -> DocumentItem:
    extra: dict[str, object] = {}
    ms = show_comment_ms(url)
    if ms is not None:
        extra["published_ms"] = ms
    if parent_id:
        extra["parent_id"] = parent_id[1:] if parent_id.startswith("c") else parent_id
    item = DocumentItem(
        url=url,
        kind="comment",
        platform="blogger",
        site=urlsplit(post_url).hostname,
        published_raw=visible,
        text="" if deleted else body,
        parent_url=post_url,
        deleted=deleted,
        extra=extra,
    )
    set_author(item, author, "template", 0.9)
    if ms is not None:  # the permalink's epoch milliseconds, whatever the visible text says
        mark(item, "published_raw", "template", 0.95, via="showComment")
    elif visible:
        mark(item, "published_raw", "template", 0.8, via="visible text")
    if item.text:
        mark(item, "text", "template", 0.9)
    return item


def _resolve_replies(items: list[DocumentItem], permalinks: dict[str, str]) -> list[DocumentItem]:
    for item in items:
        parent = item.extra.pop("parent_id", None)
        if parent:
            item.reply_to = permalinks.get(str(parent))
            if item.reply_to:
                mark(item, "reply_to", "template", 0.9, via="nesting")
    return items
