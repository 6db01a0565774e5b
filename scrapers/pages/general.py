"""The general extractor: what any page's main text is, without knowing its layout.

Page objects know templates (Blogger's ``.post-body``, a theme's ``.entry-content``, a
source's configured selectors); on pages written by strangers the general answer is often
better. This module gives that answer, for the field decision (``scrapers.pages.decide``) to
weigh against the template's:

- ``GeneralReading.text``: trafilatura on the whole page as served (its own boilerplate
  model, comments left out), then the line-level cleanups every body gets;
- ``GeneralReading.meta``: trafilatura's title, author and date, as weak candidates;
- ``main_text``: the text of the page's ``<main>`` / ``[role=main]`` / single ``<article>``,
  the last resort that keeps a page with a body from being dropped;
- ``furniture_lines``: the text of small boxes that are boilerplate by their markup (read-also
  and related boxes, share bars, ad slots), so lines the general extractor kept from them can
  be taken out again.

trafilatura is slow next to everything else a crawl does, so a reading is computed lazily,
once per page, and only when the decision needs it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from scrapers.pages.regions import BOXES
from scrapers.pages.text import (
    AD_CLASS,
    _select_all,
    element_text,
    normalize_text,
)

# The boxes whose lines a general reading may have kept: boilerplate boxes and sidebars.
# Header, nav and footer are left to trafilatura's own model: on real pages they often wrap
# the article itself.
FURNITURE = (
    *BOXES,
    "[class*='berita-lain']",
    "[class*='lainnya']",
    "[class*='populer']",
    "[class*='popular']",
    ".most-popular",
    ".sidebar",
    "#sidebar",
    ".widget",
    "aside",
)
# Class tokens WordPress prints on the post's own wrapper (``category-sponsored``,
# ``tag-share``): they name the post's taxonomy, not a box inside it.
_TAXONOMY_TOKEN = re.compile(r"^(?:category|tag|post|format|type|status|has)-")
# A furniture box holding more of the page than this is not furniture.
_MAX_SHARE = 0.3
# Lines the general extractor keeps that are only a photo credit or caption label.
_CREDIT = re.compile(
    r"^\(?\s*(?:foto|photo|bild|image|gambar|ilustrasi|illustration|sumber\s+foto|"
    r"quelle|source|credit|fotografie)\s*:\s*\S.{0,80}\)?$",
    re.IGNORECASE,
)


# trafilatura warns ("discarding data") on every page without a main text; the run's
# per-URL report says that once, in words a user can act on.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_BULLET = re.compile(r"^\s*[-*•]\s+")


@dataclass
class GeneralReading:
    text: str = ""
    meta: dict[str, str | None] = field(default_factory=dict)


# Pages larger than this (a 5 MB page of navigation, an app shell with megabytes of inline
# data) are read without trafilatura's fallback extractors and metadata search, which take
# tens of seconds on them.
BIG_PAGE = 3_000_000
# A reading made of this share (or more) of the page's own link texts is its navigation.
LINK_SHARE = 0.9


def read_general(html: str | bytes, url: str | None) -> GeneralReading:
    """trafilatura's reading of a whole page: body text (no comments) and metadata.

    ``<noscript>`` is read too: script-rendered blogs put the post there. Its usual notice
    ("enable JavaScript") is dropped with the other boilerplate lines (``normalize_text``).
    """
    import trafilatura

    big = len(html) > BIG_PAGE
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            fast=big,
            include_comments=False,
            include_tables=True,
            with_metadata=not big,
            deduplicate=False,
        )
    except Exception:  # trafilatura on hostile HTML: no general reading, not a crash
        return GeneralReading()
    if doc is None:
        return GeneralReading()
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = clean_lines(data.get("text") or "")
    meta = {key: _str(data.get(key)) for key in ("title", "author", "date", "sitename")}
    return GeneralReading(text, meta)


def clean_lines(text: str) -> str:
    """The line-level cleanups every body gets: read-also and ad-label lines (in
    ``normalize_text``), and photo-credit lines."""
    lines = [line for line in text.split("\n") if not _CREDIT.match(line.strip())]
    return normalize_text("\n".join(lines))


# Comment sections: comments are documents of their own, never part of a body.
COMMENT_SECTIONS = (
    "#comments",
    ".comments",
    ".comments-area",
    ".comment-list",
    ".commentlist",
    "#respond",
    ".comment-respond",
    "#disqus_thread",
    ".wp-block-comments",
    "#comments-block",
)


def main_text(sel: Selector) -> str:
    """The text of the page's main region, if it marks one: ``<main>``, ``[role=main]``, or
    its only ``<article>``. Navigation, forms, comments and furniture boxes are left out."""
    drop = FURNITURE + COMMENT_SECTIONS + ("nav", "header", "footer")
    for expr in ("main", "[role=main]"):
        found = sel.css(expr)
        if len(found) == 1:
            return clean_lines(element_text(found[0].root, drop, AD_CLASS))
    articles = sel.css("article")
    if len(articles) == 1:
        return clean_lines(element_text(articles[0].root, drop, AD_CLASS))
    return ""


def furniture_lines(sel: Selector) -> set[str]:
    """Whitespace-normalised lines of the page's small boilerplate boxes."""
    root = sel.root
    if not isinstance(root, etree._Element):
        return set()
    body = root.find("body") if root.tag == "html" else root
    total = len(_all_text(body if body is not None else root)) or 1
    boxes = list(_select_all(root, FURNITURE))
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        tokens = (el.get("class") or "").lower().split()
        if any(AD_CLASS.search(t) and not _TAXONOMY_TOKEN.match(t) for t in tokens):
            boxes.append(el)
    lines: set[str] = set()
    for box in boxes:
        text = _all_text(box)
        if not text.strip() or len(text) > _MAX_SHARE * total or _holds_heading(box):
            continue
        for line in element_text(box).split("\n"):
            line = " ".join(line.split())
            if line:
                lines.add(line)
    return lines


def link_share(text: str, sel: Selector) -> float:
    """The share of ``text`` (by characters) in lines that are only a link's text on the
    page: near 1 for a menu or a sitemap read as if it were an article."""
    lines = [bare_line(line) for line in text.split("\n")]
    total = sum(len(line) for line in lines)
    if not total:
        return 0.0
    anchors = {" ".join("".join(a.xpath(".//text()").getall()).split()) for a in sel.xpath("//a")}
    return sum(len(line) for line in lines if line in anchors) / total


def without_lines(text: str, drop: set[str]) -> str:
    """``text`` without the lines that are, whole, one of ``drop`` (normalised)."""
    if not drop:
        return text
    kept = [line for line in text.split("\n") if bare_line(line) not in drop]
    return "\n".join(kept).strip()


def bare_line(line: str) -> str:
    """A line whitespace-normalised, without the list bullet trafilatura writes ("- ")."""
    return " ".join(_BULLET.sub("", line).split())


def _all_text(el: Any) -> str:
    return "".join(el.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def _holds_heading(el: Any) -> bool:
    return bool(el.xpath(".//h1"))


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
