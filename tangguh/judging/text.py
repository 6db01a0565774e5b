"""Plain text and word count of a post body, by one stated rule.

A word-count rule decides entries outright ("290 kata" under a 300-word rule is out), so the
count must be reproducible by hand. The rule, shown in every report (`WORD_RULE`):

- only the post body counts (the fetcher hands us the body, never sidebar, comments or footer);
  image captions and headings inside the body count; script, style, hidden elements
  (`display:none`, `visibility:hidden`, `font-size:0`, `opacity:0`, the `hidden` attribute,
  screen-reader-only classes; hidden padding is a known trick) and the
  share/like/related-posts blocks that platforms insert into the body do not;
- a word is a run of characters between whitespace that contains at least one letter or digit:
  "anak-anak" and "dan/atau" are one word each, "Covid-19" is one, a lone "-" or emoji is none;
- URLs (`http://`, `https://`, `www.`) and email addresses are not words; hashtags are.
"""

from __future__ import annotations

import re
import unicodedata

import lxml.html
from lxml import etree

WORD_RULE = (
    "Kata dihitung pada isi postingan saja (tanpa sidebar, komentar, footer, tombol bagikan "
    "dan artikel terkait; teks tersembunyi tidak dihitung). Satu kata = rangkaian karakter di antara spasi yang memuat huruf atau "
    "angka; kata berhubung (anak-anak, Covid-19) dihitung satu; URL dan alamat email tidak "
    "dihitung; tagar dihitung."
)

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "blockquote", "pre", "figure", "figcaption", "section", "article", "header",
    "footer", "hr", "dd", "dt", "dl", "center", "address", "aside", "caption",
}  # fmt: skip
# Platform furniture that WordPress.com/Jetpack and plugins put inside the post body: share
# buttons, "Like this", related posts (with their own thumbnails and links), ads.
_FURNITURE = re.compile(
    r"\b(sharedaddy|sd-sharing|sd-block|jp-relatedposts|jp-post-flair|wpcnt|wordads|"
    r"addtoany_share|a2a_kit|yarpp-related|crp_related|post-share-buttons|wp-block-jetpack-likes|"
    r"blog-pager|post-footer)\b",
    re.I,
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|opacity\s*:\s*0(?![.\d])",
    re.I,
)
_HIDDEN_CLASS = re.compile(r"\b(screen-reader-text|sr-only|visually-hidden|hidden)\b", re.I)
_SEPARATORS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_URLISH = re.compile(r"^[(\[<\"']*(?:https?://|www\.)", re.I)
_EMAIL = re.compile(r"^[(\[<\"']*[\w.+-]+@[\w-]+(?:\.[\w-]+)+[)\]>\"'.,;:]*$")


def parse_fragment(body_html: str) -> etree._Element | None:
    """Parse scraped body HTML leniently; None when there is nothing to parse."""
    if not body_html or not body_html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(body_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def clean_fragment(body_html: str | None) -> etree._Element | None:
    """The body without scripts, styles and platform furniture (see `_FURNITURE`)."""
    root = parse_fragment(body_html or "")
    if root is None:
        return None
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # HTML comments, processing instructions
            if _attached(el, root):
                _remove_keep_tail(el)
            continue
        marker = f"{el.get('class') or ''} {el.get('id') or ''}"
        if (el.tag in _DROP_TAGS or _FURNITURE.search(marker)) and _attached(el, root):
            _remove_keep_tail(el)
    return root


def _attached(el: etree._Element, root: etree._Element) -> bool:
    """Still inside `root` (not in a subtree removed earlier in the same pass)."""
    node = el.getparent()
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _is_hidden(el: etree._Element) -> bool:
    return (
        el.get("hidden") is not None
        or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
        or bool(_HIDDEN_CLASS.search(el.get("class") or ""))
    )


def body_text(body_html: str | None) -> tuple[str, int]:
    """Return (visible text, number of words found in hidden elements) of a body fragment."""
    root = clean_fragment(body_html)
    if root is None:
        return "", 0
    hidden_words = 0
    for el in list(root.iter()):
        if isinstance(el.tag, str) and _is_hidden(el) and _attached(el, root):
            hidden_words += count_words(el.text_content())
            _remove_keep_tail(el)
    parts: list[str] = []
    _walk(root, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t\u00a0]*\n[ \t\u00a0\n]*", "\n", text)
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip(), hidden_words


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _walk(el: etree._Element, parts: list[str]) -> None:
    block = isinstance(el.tag, str) and el.tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if isinstance(el.tag, str) and el.text:
        parts.append(el.text)
    for child in el:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def words(text: str) -> list[str]:
    """The tokens that count as words under `WORD_RULE`."""
    out = []
    for token in _SEPARATORS.split(text):
        if not token or _URLISH.match(token) or _EMAIL.match(token):
            continue
        if any(ch.isalnum() for ch in token):
            out.append(token)
    return out


def count_words(text: str) -> int:
    return len(words(text))


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form with single spaces, for keyword matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()


def snippet(text: str, start: int, end: int, *, width: int = 40) -> str:
    """`text[start:end]` with some context, on one line, for evidence."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    piece = _SEPARATORS.sub(" ", text[left:right]).strip()
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text) else "")
