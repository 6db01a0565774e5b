"""A comment's author, time and text, read from its own markup.

``wordpress_comments`` decides which elements belong to which comment (never a nested
reply's); this module reads the fields from them, by what the markup says of itself
rather than by theme: core and block-theme classes first (``.fn``,
``.wp-block-comment-author-name``, ``time[datetime]``, ``.comment-content``), then the
names themes give their own parts (``span.author``, ``.w-comments-item-text``), then a
line that reads like a date. Each field records where it came from
(``scrapers.provenance``): ``metadata`` for ``time[datetime]`` and microdata, ``template``
for classes that say what they hold, ``heuristic`` for the rest.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass

from lxml import etree

from scrapers.items import DocumentItem
from scrapers.pages.commenters import clean_label, set_author
from scrapers.pages.text import element_text, is_deleted_comment
from scrapers.provenance import mark

_AUTHOR_CLASS = re.compile(r"(?:^|[-_])(?:author|commenter|user)(?:[-_]*name)?$")
_CORE_AUTHOR = re.compile(r"^comment[-_]*author(?:[-_]*name)?$")
_DATE_CLASS = re.compile(r"(?:^|[-_])(?:date|time|timestamp|datetime|published)$")
_META_CLASS = re.compile(r"(?:^|[-_])(?:meta|metadata|info)$|^commentmetadata$")
_BODY_CLASS = re.compile(
    r"(?:^|[-_])comments?(?:[-_]+item)?[-_]*(?:content|text|entry|message|box)$|^contenttext$"
)
_CORE_BODY = re.compile(r"^comment[-_]*body$")
# Furniture inside a comment that is not what the commenter wrote (the author line, the
# time, reply/edit links, like counters, avatars, "says"), by class token.
FURNITURE = re.compile(
    r"^(?:(?:wp-block-)?comments?[-_]*(?:author(?:[-_]*name)?|meta(?:data)?|info|date|time"
    r"|timestamp|head(?:er)?|footer|actions?|reply.*|edit.*|likes?|like[-_].*|permalink"
    r"|awaiting[-_]*moderation|moderation|votes?|vote[-_].*|rating.*|avatar|number|num"
    r"|count|tools|nav.*|links?|respond|share.*|flag.*|report.*)"
    r"|commentmetadata|reply|says|vcard|fn|children|avatar.*|wp-block-avatar|edit-link"
    r"|screen-reader-text|sharedaddy|.*[-_](?:avatar|author|author[-_]*name|date|time|meta"
    r"|reply|actions|links))$"
)
_LINKS = re.compile(r"^(?:comment[-_]*)?(?:reply.*|edit.*)$|^(?:says|screen-reader-text|avatar.*)$")
# Wrapper tags whose content inside a comment is the author line or the time, not the text.
_FURNITURE_TAGS = ("header", "footer", "aside", "nav")
# A line that is only a date or a time: "18.10.2019, 16:18", "März 7, 2018", "3 hari lalu".
_DATEISH = re.compile(
    r"\b(?:1[89]|20)\d{2}\b|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|\b(?:yang\s+lalu|lalu|ago)\b",
    re.IGNORECASE,
)
_DROP_MARK = "data-tangguh-drop"


@dataclass
class OwnMarkup:
    """What one comment owns on the page."""

    root: etree._Element  # the element holding the comment (and, often, its replies)
    owned: list[etree._Element]  # its elements in page order, none of a nested reply's
    replies: list[etree._Element]  # the roots of the comments nested in it
    cid: str  # its id: its own permalink ends with ``#comment-<cid>``


def read_comment(item: DocumentItem, c: OwnMarkup) -> None:
    """Fill ``item``'s author, published_raw, text and deleted from the comment's markup."""
    container, body_src = _body_container(c)
    author_el = _author(c, item)
    time_el, time_raw, time_src = _time(c, author_el, container)
    item.published_raw = time_raw
    if time_raw:
        mark(item, "published_raw", *time_src)
    body = _body_text(c, container, [e for e in (author_el, time_el) if e is not None])
    if time_src[0] == "heuristic" and time_raw and body.startswith(time_raw):
        body = body[len(time_raw) :].lstrip()
    item.deleted = is_deleted_comment(body)
    item.text = "" if item.deleted else body
    if item.text:
        mark(item, "text", *body_src)


def class_tokens(el: etree._Element) -> list[str]:
    return (el.get("class") or "").lower().split()


def _text_of(el: etree._Element, *, without_dates: bool = False) -> str:
    """The label an element shows: its text without "says" and screen-reader furniture
    (and, for a name, without the time a theme prints inside the author line)."""
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, d in walker:
        if event == "start":
            if d is not el and _skip_in_label(d, without_dates):
                walker.skip_subtree()
            elif d.text:
                parts.append(d.text)
        elif d is not el and d.tail:
            parts.append(d.tail)
    return " ".join("".join(parts).split())


def _skip_in_label(el: etree._Element, without_dates: bool) -> bool:
    if el.tag in ("script", "style"):
        return True
    tokens = class_tokens(el)
    if any(_LINKS.match(t) for t in tokens):
        return True
    if not without_dates:
        return False
    # In an author line: the time, and links to the comment itself ("Permalink", "Reply").
    href = (el.get("href") or "") if el.tag == "a" else ""
    return (
        el.tag == "time"
        or any(_DATE_CLASS.search(t) or t.endswith("permalink") for t in tokens)
        or "#comment-" in href
        or "replytocom=" in href
    )


def _author(c: OwnMarkup, item: DocumentItem) -> etree._Element | None:
    best: tuple[int, str, etree._Element] | None = None
    for el in c.owned:
        if not isinstance(el.tag, str):
            continue
        rank = _author_rank(el)
        if rank is None or (best is not None and rank >= best[0]):
            continue
        if rank == 2:  # microdata: the name inside the author
            names = el.xpath(".//*[@itemprop='name']")
            label = clean_label(names[0].get("content") or _text_of(names[0])) if names else None
            label = label or clean_label(_text_of(el, without_dates=True))
        elif rank == 5:  # <cite>: a linked name inside it, else a short label
            links = el.xpath(".//a")
            label = clean_label(_text_of(links[0] if links else el, without_dates=True))
        else:
            label = clean_label(_text_of(el, without_dates=True))
        if label and rank >= 3 and not _name_like(label, strict=rank >= 4):
            # "<strong>Ben</strong> 19. Juni 2018 um 15:28": the name is its first element
            label = _first_name_inside(el)
        if not label:
            continue
        best = (rank, label, el)
        if rank == 0:
            break
    if best is None:
        return None
    rank, label, el = best
    source, confidence = _AUTHOR_SOURCES[rank]
    set_author(item, label, source, confidence)
    return el


# rank -> (source, confidence) of an author read that way
_AUTHOR_SOURCES = {
    0: ("template", 0.95),  # .wp-block-comment-author-name
    1: ("template", 0.9),  # .fn (cite.fn, b.fn, span.fn)
    2: ("metadata", 0.9),  # itemprop=author
    3: ("template", 0.85),  # .comment-author
    4: ("heuristic", 0.6),  # a theme's own *-author / *-author-name / *-user
    5: ("heuristic", 0.5),  # <cite>
}


def _author_rank(el: etree._Element) -> int | None:
    tokens = class_tokens(el)
    if "wp-block-comment-author-name" in tokens:
        return 0
    if "fn" in tokens:
        return 1
    if el.get("itemprop") == "author":
        return 2
    if any(_CORE_AUTHOR.match(t) for t in tokens):
        return 3
    if any(_AUTHOR_CLASS.search(t) for t in tokens):
        return 4
    if el.tag == "cite":
        return 5
    return None


def _first_name_inside(el: etree._Element) -> str | None:
    for d in el.iterdescendants("b", "strong", "a", "span", "cite", "em"):
        label = clean_label(_text_of(d, without_dates=True))
        if label:
            return label if _name_like(label, strict=False) else None
    return None


def _name_like(label: str, *, strict: bool = True) -> bool:
    """A label from a theme's own class (``strict``) is a name only when it reads like one:
    a few words, no date; one from ``.comment-author`` only needs to hold no date."""
    return not _DATEISH.search(label) and (not strict or len(label.split()) <= 5)


def _time(
    c: OwnMarkup, author_el: etree._Element | None, body: etree._Element
) -> tuple[etree._Element | None, str | None, tuple[str, float]]:
    best: tuple[int, str, etree._Element] | None = None
    permalink = f"#comment-{c.cid}"
    for el in c.owned:
        if not isinstance(el.tag, str):
            continue
        rank, value = _time_candidate(el, permalink)
        if rank is None or not value or (best is not None and rank >= best[0]):
            continue
        best = (rank, value, el)
        if rank == 0:
            break
    if best is not None:
        rank, value, el = best
        return el, value, _TIME_SOURCES[rank]
    # A theme that prints the time as bare text ("18.10.2019, 16:18" beside the name), never
    # a line of what the commenter wrote.
    text_tags = ("p", "blockquote", "li", "pre", "code")
    for el in c.owned:
        if not isinstance(el.tag, str) or el is author_el or el.tag in text_tags:
            continue
        if _body_rank(body) in (0, 1) and _within(el, body):
            continue
        for text in (el.text, el.tail):
            line = " ".join((text or "").split())
            if _date_like(line):
                return None, line, ("heuristic", 0.5)
    return None, None, ("heuristic", 0.0)


_TIME_SOURCES = {
    0: ("metadata", 0.95),  # <time datetime>
    1: ("metadata", 0.9),  # itemprop=dateCreated/datePublished
    2: ("template", 0.85),  # .wp-block-comment-date, .comment-date, .comment-time
    3: ("template", 0.8),  # .comment-meta / .commentmetadata: its permalink text
    4: ("template", 0.7),  # the comment's own #comment-ID link
}


def _time_candidate(el: etree._Element, permalink: str) -> tuple[int | None, str | None]:
    if el.tag == "time" and el.get("datetime"):
        return 0, el.get("datetime", "").strip()
    if el.get("itemprop") in ("dateCreated", "datePublished", "commentTime"):
        return 1, (el.get("content") or el.get("datetime") or _text_of(el)).strip()
    tokens = class_tokens(el)
    if any(_DATE_CLASS.search(t) for t in tokens):
        return 2, _date_text(el)
    if any(_META_CLASS.search(t) for t in tokens):
        return 3, _date_text(el)
    if el.tag == "a" and (el.get("href") or "").endswith(permalink):
        return 4, _date_text(el)
    return None, None


def _date_text(el: etree._Element) -> str | None:
    """The date an element shows: its first link that reads like a date (not a reply or
    edit link), else its first line of text that does ("18.10.2019, 16:18" beside links)."""
    for a in el.iter("a"):
        if any(t.startswith(("comment-reply", "comment-edit", "reply")) for t in class_tokens(a)):
            continue
        text = _text_of(a)
        if _date_like(text):
            return text
    for d in el.iter():
        for text in (d.text, d.tail if d is not el else None):
            line = " ".join((text or "").split())
            if _date_like(line):
                return line
    whole = _text_of(el)  # a date split over elements: "<b>5 Juni</b> 2020"
    return whole if _date_like(whole) else None


def _date_like(text: str | None) -> bool:
    return bool(text) and len(text or "") <= 60 and bool(_DATEISH.search(text or ""))


def _body_container(c: OwnMarkup) -> tuple[etree._Element, tuple[str, float]]:
    """The element holding what the commenter wrote, and how it was recognised."""
    best: tuple[int, etree._Element] | None = None
    for el in c.owned:
        if not isinstance(el.tag, str):
            continue
        rank = _body_rank(el)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, el)
            if rank == 0:
                break
    if best is not None:
        return best[1], ("template", 0.9)
    if c.root.tag == "dt" and (dds := [e for e in c.owned if e.tag == "dd"]):
        return dds[0], ("template", 0.8)
    return c.root, ("heuristic", 0.6)


def _body_text(c: OwnMarkup, container: etree._Element, found: list[etree._Element]) -> str:
    drop = [*found, *c.replies]
    text = _text_without(container, drop, FURNITURE)
    if not text and container is c.root:
        # Themes that put the text inside their author box: keep all but the name, the
        # time and the reply links.
        text = _text_without(container, drop, _LINKS)
    return text


def _body_rank(el: etree._Element) -> int | None:
    tokens = class_tokens(el)
    if "wp-block-comment-content" in tokens:
        return 0
    if el.get("itemprop") in ("text", "commentText") or any(_BODY_CLASS.search(t) for t in tokens):
        return 1
    if any(_CORE_BODY.match(t) for t in tokens):
        return 2
    return None


def _text_without(
    container: etree._Element, drop: list[etree._Element], furniture: re.Pattern[str]
) -> str:
    """Plain text of ``container`` without the ``drop`` elements (the author line, the time,
    nested replies) and without comment furniture; the page's tree is left as it was."""
    inside = [el for el in drop if _within(el, container) and el is not container]
    token = secrets.token_hex(8)  # a page cannot forge it to hide its own text
    for el in inside:
        el.set(_DROP_MARK, token)
    try:
        clone = copy.deepcopy(container)
    finally:
        for el in inside:
            el.attrib.pop(_DROP_MARK, None)
    for el in list(clone.iter()):
        if (
            isinstance(el.tag, str)
            and el is not clone
            and (el.get(_DROP_MARK) == token or el.tag in _FURNITURE_TAGS)
        ):
            _remove_keep_tail(el)
    return element_text(clone, (), furniture)


def _within(el: etree._Element, container: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
