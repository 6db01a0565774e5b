"""WordPress comment threads from a theme's HTML, whatever markup the theme chose.

Themes print comments as ``ol.commentlist > li.comment`` (classic), ``article.comment-body``
inside the ``li`` (html5), ``ol.wp-block-comment-template > li`` with
``.wp-block-comment-*`` blocks (block themes, Twenty Twenty-Two to Twenty-Five), or nested
``div.comment`` with ``depth-N`` classes (``wp_list_comments(style=div)``), and custom
themes rename everything inside. Rather than a list of themes, comments are found by what
WordPress core gives every theme: the ``comment-ID`` / ``li-comment-ID`` /
``div-comment-ID`` ids and ``comment_class()``'s ``comment`` and ``depth-N`` classes.

One walk over the comment area gives each element to the innermost comment that holds it,
so a comment's author, time and text are read from its own markup and never from a
nested reply, and its parent is the comment around it. Themes that close the ``li``
before the replies (or print them flat) still carry ``depth-N``: a comment outside any
other at depth N answers the last comment seen at depth N-1.

The fields of each comment are read from its own elements by ``comment_fields``.

Paged comments (``/comment-page-N/``, ``?cpage=N``) are found by ``comment_page_links``;
the spider fetches them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from lxml import etree

from scrapers.items import DocumentItem
from scrapers.pages.comment_fields import OwnMarkup, class_tokens, read_comment
from scrapers.provenance import mark

# A hostile pager must not make a post cost more than this many requests.
MAX_COMMENT_PAGES = 100

_COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$")
_LINK_ID = re.compile(r"(?:replytocom=|#comment-)(\d+)")
_DEPTH = re.compile(r"^depth-(\d+)$")
# Elements that can hold a whole comment (an ``a id="comment-5"`` anchor cannot).
_CONTAINERS = ("li", "div", "article", "section", "dt", "td", "tr", "table")
# Not comments: trackbacks and pingbacks are links from other sites.
_NOT_COMMENTS = {"pingback", "trackback"}

_PAGE_PATH = re.compile(r"/comment-page-(\d+)/?$")


@dataclass
class _Comment:
    root: etree._Element
    cid: str
    depth: int | None
    parent: _Comment | None = None
    nested: bool = False  # the parent holds this comment (else: found by depth class)
    owned: list[etree._Element] = field(default_factory=list)
    children: list[_Comment] = field(default_factory=list)


def parse_comments(root: etree._Element, post_url: str) -> list[DocumentItem]:
    """Every comment under ``root`` (a page or a part of it) as an item, in page order."""
    comments = _find(root)
    if not comments:
        return []
    _assign(comments)
    return [_item(c, post_url) for c in comments]


# --- permalinks ------------------------------------------------------------------------------
_NOISE_QUERY = ("replytocom=", "amp", "utm_", "fbclid=", "cpage=")


def wp_post_url(url: str) -> str:
    """Canonical post URL: no fragment, no comment page (``/comment-page-2/``,
    ``?cpage=2``), no ``replytocom``/``amp``/tracking query noise."""
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith(_NOISE_QUERY))
    path = _PAGE_PATH.sub("/", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def comment_url(post_url: str, comment_id: int | str) -> str:
    """A comment's permalink, ``POST#comment-ID``, whichever comment page showed it."""
    return f"{wp_post_url(post_url)}#comment-{comment_id}"


# --- finding the comments ------------------------------------------------------------------
def _depth(tokens: Iterable[str]) -> int | None:
    for t in tokens:
        if m := _DEPTH.match(t):
            return int(m.group(1))
    return None


def _is_candidate(tokens: list[str]) -> bool:
    """``comment_class()`` output without an id: ``comment`` plus ``depth-N``."""
    return "comment" in tokens and _depth(tokens) is not None


def _own_id(el: etree._Element, tokens: list[str]) -> str | None:
    if m := _COMMENT_ID.match(el.get("id") or ""):
        return m.group(1)
    if not _is_candidate(tokens):
        return None
    for attr in ("data-comment-id", "data-commentid"):
        value = (el.get(attr) or "").strip()
        if value.isdigit():
            return value
    # The id sits on an inner element, or only in the comment's own permalink/reply link;
    # never borrow a nested reply's (a comment's own markup comes before its replies).
    for d in el.iterdescendants():
        if not isinstance(d.tag, str):
            continue
        if m := _COMMENT_ID.match(d.get("id") or ""):
            return m.group(1)
        if _is_candidate(class_tokens(d)):
            return None
        if d.tag == "a" and (m := _LINK_ID.search(d.get("href") or "")):
            return m.group(1)
    return None


def _promote(el: etree._Element) -> etree._Element:
    """The element that holds the whole comment: an id on an inner ``div``/``article``
    often sits in an ``li.comment.depth-N`` that also holds the replies."""
    if el.tag == "li" or _depth(class_tokens(el)) is not None:
        return el
    up = el.getparent()
    for _ in range(3):
        if up is None:
            break
        tokens = class_tokens(up)
        if _COMMENT_ID.match(up.get("id") or ""):
            break  # another comment's own element
        if _depth(tokens) is not None or (up.tag == "li" and "comment" in tokens):
            return up
        up = up.getparent()
    return el


def _find(root: etree._Element) -> list[_Comment]:
    found: list[_Comment] = []
    ids: set[str] = set()
    roots: set[etree._Element] = set()
    for el in root.iter(*_CONTAINERS):
        tokens = class_tokens(el)
        cid = _own_id(el, tokens)
        if cid is None or cid in ids:
            continue
        holder = _promote(el)
        if holder in roots:
            continue
        if _NOT_COMMENTS.intersection(class_tokens(holder)):
            ids.add(cid)
            continue
        ids.add(cid)
        roots.add(holder)
        found.append(_Comment(holder, cid, _depth(class_tokens(holder))))
    return found


def _assign(comments: list[_Comment]) -> None:
    """Give each element to the innermost comment holding it; parents by nesting, else by
    depth class."""
    by_root = {c.root: c for c in comments}
    # A ``dt`` comment (author and time) is followed by a ``dd`` holding its text.
    attached: dict[etree._Element, _Comment] = {}
    for c in comments:
        if c.root.tag == "dt":
            nxt = c.root.getnext()
            while nxt is not None and not isinstance(nxt.tag, str):
                nxt = nxt.getnext()
            if nxt is not None and nxt.tag == "dd" and nxt not in by_root:
                attached[nxt] = c
    scope = _common_ancestor(comments[0].root, comments[-1].root)
    stack: list[_Comment] = []
    for event, el in etree.iterwalk(scope, events=("start", "end")):
        if event == "start":
            c = by_root.get(el)
            if c is not None:
                c.parent = stack[-1] if stack else None
                c.nested = c.parent is not None
                stack.append(c)
            elif (owner := attached.get(el)) is not None:
                owner.owned.append(el)
                stack.append(owner)
            elif stack:
                stack[-1].owned.append(el)
        elif stack and (by_root.get(el) is stack[-1] or attached.get(el) is stack[-1]):
            stack.pop()
    last_at_depth: dict[int, _Comment] = {}
    for c in comments:  # page order
        if c.parent is None and c.depth and c.depth > 1:
            c.parent = last_at_depth.get(c.depth - 1)
        if c.depth:
            last_at_depth[c.depth] = c
            for deeper in [d for d in last_at_depth if d > c.depth]:
                del last_at_depth[deeper]
        if c.parent is not None:
            c.parent.children.append(c)


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    above_a = {a, *a.iterancestors()}
    node: etree._Element | None = b
    while node is not None and node not in above_a:
        node = node.getparent()
    return node if node is not None else a.getroottree().getroot()


# --- one comment -------------------------------------------------------------------------
def _item(c: _Comment, post_url: str) -> DocumentItem:
    post = wp_post_url(post_url)
    item = DocumentItem(
        url=comment_url(post, c.cid),
        kind="comment",
        platform="wordpress",
        site=urlsplit(post).hostname,
        parent_url=post,
        reply_to=comment_url(post, c.parent.cid) if c.parent is not None else None,
        extra={"wp_id": int(c.cid)},
    )
    read_comment(item, OwnMarkup(c.root, c.owned, [k.root for k in c.children], c.cid))
    if c.parent is not None:
        if c.nested:
            mark(item, "reply_to", "template", 0.9, via="nesting")
        else:
            mark(item, "reply_to", "template", 0.8, via="depth class")
    return item


# --- comment pages -------------------------------------------------------------------------


def comment_page_number(url: str) -> int | None:
    """N of a ``/comment-page-N/`` or ``?cpage=N`` URL; None for the post's own URL."""
    parts = urlsplit(url)
    if m := _PAGE_PATH.search(parts.path):
        return int(m.group(1))
    value = parse_qs(parts.query).get("cpage", [""])[0]
    return int(value) if value.isdigit() else None


def comment_page_links(root: etree._Element, page_url: str, post_url: str) -> dict[int, str]:
    """The other comment pages of this post that the page links to: ``{N: URL}``."""
    out: dict[int, str] = {}
    for a in root.iter("a"):
        href = a.get("href") or ""
        if "comment-page-" not in href and "cpage=" not in href:
            continue
        url = urljoin(page_url, href.strip())
        n = comment_page_number(url)
        if n is None or not 0 < n <= MAX_COMMENT_PAGES or wp_post_url(url) != post_url:
            continue
        parts = urlsplit(url)
        out.setdefault(n, urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")))
    return out


def page_of_own_comments(root: etree._Element, page_url: str, ids: set[str]) -> int | None:
    """The comment page number in this page's own comment permalinks
    (``/comment-page-2/#comment-57`` for a comment shown here): the page the post URL shows
    when neither the URL nor the pager says."""
    for a in root.iter("a"):
        href = a.get("href") or ""
        m = _LINK_ID.search(href)
        if m and "#comment-" in href and m.group(1) in ids:
            n = comment_page_number(urljoin(page_url, href.strip()))
            if n is not None:
                return n
    return None
