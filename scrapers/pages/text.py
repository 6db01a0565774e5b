"""Small cleanups shared by every page object: HTML to plain text, titles, boilerplate.

Page bodies come from hostile HTML, so text is taken from an lxml tree with scripts, styles,
forms and hidden furniture removed; nothing here executes or keeps markup.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

# Tags whose content is never body text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "form",
    "button",
    "svg",
    "select",
    "textarea",
    "object",
    "embed",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "hr",
    "aside",
    "nav",
    "main",
    "address",
    "td",
    "th",
}
# Lines that introduce links to other stories inside a news body ("Baca juga: ...").
_READ_ALSO = re.compile(
    r"^\s*(?:\W{0,3})\s*(baca\s+juga|baca\s+pula|baca(?=\s*:)|simak\s+(?:juga|video)|lihat\s+juga|"
    r"artikel\s+terkait|"
    r"berita\s+terkait|read\s+also|see\s+also|also\s+read|bacaan\s+lainnya|tonton\s+juga|"
    r"saksikan\s+juga|ikuti\s+(?:kami|berita)|dapatkan\s+update|download\s+aplikasi|"
    r"klik\s+(?:di\s*)?sini\s+untuk)\b",
    re.IGNORECASE,
)
# Lines that are only an ad slot's label ("- Advertisement -", "SCROLL TO CONTINUE WITH CONTENT").
_AD_LINE = re.compile(
    r"^\W*(advertisement|iklan|sponsored|ads\s+by\s+google|scroll\s+to\s+continue\s+with\s+content)"
    r"\W*$",
    re.IGNORECASE,
)
# A script-rendered page's notice to readers without JavaScript ("Aktifkan JavaScript untuk
# membaca berita", "Please enable JavaScript to view the comments"): one short line.
_NOTICE_LINE = re.compile(
    r"^.{0,40}\b(?:enable|aktifkan|activate|turn\s+on|nyalakan|activez|aktivieren\s+sie)\s+"
    r"(?:your\s+)?javascript\b.{0,60}$|^.{0,30}\bjavascript\s+(?:is\s+)?"
    r"(?:disabled|required|dinonaktifkan|diperlukan)\b.{0,60}$",
    re.IGNORECASE,
)
# Class tokens of ad slots, share bars, tag lists and read-also/related boxes: dropped from
# bodies wherever a theme nests them (``jeg_share_button``, ``post-bottom-tags``, ``ads_middle``).
AD_CLASS = re.compile(
    r"^(ads?|ad-.*|ads[-_].*|.*advert.*|.*iklan.*|.*sponsor.*|.*parallax.*|linksisip|lihatjg|"
    r"baca-?juga.*|.*related.*|.*terkait.*|(?:.*[-_])?(?:share|sharing)(?:[-_].*)?|social.*|"
    r"(?:.*[-_])?tags?|.*newsletter.*)$"
)
_LABEL = re.compile(
    r"^(?:(?:diposting|dikirim|ditulis|posted|written)\s+(?:oleh|by)|penulis(?:\s+pos)?|"
    r"oleh|by|reporter|editor|pewarta|author|kontributor|penulis\s+berita|rep\.?|wartawan)\b\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]+")
_DELETED = re.compile(
    r"^\s*(komentar ini telah dihapus|this comment has been removed|komentar ini telah "
    r"dihapus oleh (pengarang|administrator blog)|this comment has been deleted)",
    re.IGNORECASE,
)


_TWEET_LINK = re.compile(r"^\s*(?:pic\.twitter\.com/|https?://t\.co/)", re.IGNORECASE)


def tweet_text_only(quote: etree._Element) -> None:
    """An embedded tweet keeps what it says, not its furniture: the "— Name (@handle)
    June 16, 2020" attribution and the pic.twitter.com / t.co links are dropped (the
    attribution's date must not pass for the article's, nor the handle for text)."""
    quote.text = None
    for child in list(quote):
        if child.tag != "p":
            quote.remove(child)
        else:
            child.tail = None
    for a in list(quote.iter("a")):
        if _TWEET_LINK.match(a.text_content() or a.get("href") or ""):
            _remove(a)


def parse_fragment(html: str) -> etree._Element:
    """An element tree for an HTML fragment or document (never raises on junk)."""
    if not html or not html.strip():
        return lxml.html.fromstring("<div></div>")
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return lxml.html.fromstring("<div></div>")


def element_text(
    root: etree._Element, drop: Iterable[str] = (), drop_class: re.Pattern[str] | None = None
) -> str:
    """Plain text of an element: one line per block, boilerplate selectors removed first.

    ``drop_class`` removes descendants (never ``root`` itself) with a matching class token.
    """
    root = _copy(root)
    for el in _select_all(root, tuple(drop)):
        _remove(el)
    if drop_class is not None:
        for el in list(root.iterdescendants()):
            if isinstance(el.tag, str) and any(
                drop_class.search(t) for t in (el.get("class") or "").lower().split()
            ):
                _remove(el)
    for el in root.iter(*_DROP_TAGS):
        _remove(el)
    for el in root.iter("blockquote"):
        if "twitter-tweet" in (el.get("class") or ""):
            tweet_text_only(el)
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        style = (el.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or el.get("hidden") is not None:
            _remove(el)
    parts: list[str] = []
    _walk(root, parts)
    return normalize_text("".join(parts))


def html_to_text(html: str, drop: Iterable[str] = ()) -> str:
    return element_text(parse_fragment(html), drop)


def normalize_text(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks, drop "Baca juga" lines."""
    lines = []
    for line in _SPACES.sub(" ", text).split("\n"):
        line = line.strip()
        if line and (_READ_ALSO.match(line) or _AD_LINE.match(line) or _NOTICE_LINE.match(line)):
            continue
        lines.append(line)
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip()


def strip_title_suffix(title: str | None, site_names: Iterable[str | None] = ()) -> str | None:
    """Remove a blog or site name glued to a <title> ("Judul | Nama Blog", "Nama: Judul")."""
    if not title:
        return None
    title = _SPACES.sub(" ", title).strip()
    for name in site_names:
        if not name:
            continue
        name = _SPACES.sub(" ", name).strip()
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", "|", "｜"):
            if title.lower().endswith((sep + name).lower()):
                return title[: -len(sep + name)].strip() or title
            if title.lower().startswith((name + sep).lower()):
                return title[len(name + sep) :].strip() or title
        if title.lower().startswith(name.lower() + ": "):
            return title[len(name) + 2 :].strip() or title
    return title


def is_deleted_comment(text: str) -> bool:
    return bool(_DELETED.match(text or ""))


def clean_author(name: str | None) -> str | None:
    """An author name without byline labels ("Penulis:", "Oleh", "Posted by", "Reporter :")."""
    if not name:
        return None
    name = _SPACES.sub(" ", name).strip()
    previous = None
    while previous != name:
        previous = name
        name = _LABEL.sub("", name)
    name = re.sub(
        r"\s*[|/,]\s*(?:editor|redaktur|red\.?|ed\.?)\b.*$", "", name, flags=re.IGNORECASE
    )
    name = name.strip(" -–|:,")
    return name or None


def site_like(name: str | None, site_names: Iterable[str | None]) -> bool:
    """Whether an author value is really the site or publisher ("beritajatim.com", "Die
    FURCHE" on furche.at, "Redaksi Jatimnow" on jatimnow.com)."""
    key = _name_key(name)
    if not key:
        return False
    for site in site_names:
        other = _name_key(site)
        if not other:
            continue
        if key == other or (
            len(other) >= 5 and len(key) - len(other) <= 7 and other in key
        ):  # the site's name with an article or a word like "redaksi" around it
            return True
    return False


def _name_key(name: str | None) -> str:
    name = (name or "").lower().strip()
    name = re.sub(r"^(?:https?://)?(?:www\d?\.|m\.)?", "", name)
    name = re.sub(
        r"\.(?:co\.id|go\.id|or\.id|my\.id|ac\.id|com|net|org|id|co|de|at|ch|uk|jp)/?$", "", name
    )
    return re.sub(r"[^a-z0-9]", "", name)


def first_of(*candidates: Callable[[], str | None]) -> str | None:
    """The first non-empty result, calling each candidate only when the earlier ones failed."""
    for candidate in candidates:
        value = candidate()
        if value and value.strip():
            return _SPACES.sub(" ", value).strip()
    return None


def first(values: Iterable[str | None]) -> str | None:
    for value in values:
        if value and value.strip():
            return _SPACES.sub(" ", value).strip()
    return None


def _walk(root: etree._Element, parts: list[str]) -> None:
    """Text in document order, a newline around each block (iterative: deep trees are fine)."""
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS or tag == "br":
                parts.append("\n")
            if tag and el.text:
                parts.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el is not root and el.tail:
                parts.append(el.tail)


def _select(root: etree._Element, selector: str) -> list[etree._Element]:
    compiled = _compiled(selector)
    if compiled is None:
        return []
    try:
        found = compiled(root)
    except Exception:  # a bad selector from sources.toml must not kill a page
        return []
    return [el for el in found if isinstance(el, etree._Element)]


def _select_all(root: etree._Element, selectors: tuple[str, ...]) -> list[etree._Element]:
    """Elements matching any of ``selectors``, in one XPath pass where they compile."""
    compiled = _compiled_union(selectors)
    if compiled is None:  # one of them is odd: fall back to selector by selector
        return [el for selector in selectors for el in _select(root, selector)]
    try:
        found = compiled(root)
    except Exception:
        return [el for selector in selectors for el in _select(root, selector)]
    return [el for el in found if isinstance(el, etree._Element)]


@functools.lru_cache(maxsize=64)
def _compiled_union(selectors: tuple[str, ...]) -> Any:
    """One XPath for a whole drop list (drop lists repeat on every page of a source)."""
    paths = []
    for selector in selectors:
        compiled = _compiled(selector)
        if compiled is None:
            continue  # invalid: matches nothing, as selector by selector
        path = compiled.path if isinstance(compiled, CSSSelector) else selector
        if not path.startswith(("/", "(", "descendant")):
            return None  # a relative XPath: keep its own context
        paths.append(path)
    if not paths:
        return None
    try:
        return etree.XPath(" | ".join(f"({p})" if p.startswith("(") else p for p in paths))
    except etree.XPathError:
        return None


@functools.lru_cache(maxsize=512)
def _compiled(selector: str) -> Any:
    """CSS or XPath compiled once per process (selectors repeat on every page)."""
    try:
        if selector.startswith(("/", "./", "(")):
            return etree.XPath(selector)
        return CSSSelector(selector, translator="html")
    except Exception:  # invalid selector: treated as matching nothing
        return None


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _copy(root: etree._Element) -> etree._Element:
    return copy.deepcopy(root)
