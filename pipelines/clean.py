"""Plain-text cleanup of scraped fields: whitespace, stray markup, invisible characters."""

from __future__ import annotations

import html
import re
import unicodedata

from scrapers.items import DocumentItem

_TAG = re.compile(r"<[^>]{0,2000}>")
_LOOKS_HTML = re.compile(r"<(p|div|br|span|a|b|i|em|strong|img|script|style)\b", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n\s*\n+")
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|tr)>|<br\s*/?>", re.I)


def plain_text(value: str | None) -> str:
    """Plain text with paragraphs kept as blank-line breaks; markup, if any, removed."""
    if not value:
        return ""
    text = value
    if _LOOKS_HTML.search(text):
        text = _SCRIPT.sub(" ", text)
        text = _BLOCK_END.sub("\n\n", text)
        text = _TAG.sub(" ", text)
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def one_line(value: str | None) -> str | None:
    """A title or author: one line of plain text, or None when nothing is left."""
    if value is None:
        return None
    text = " ".join(plain_text(value).split())
    return text or None


def clean(item: DocumentItem) -> None:
    item.text = "" if item.deleted else plain_text(item.text)
    item.title = one_line(item.title)
    item.author = one_line(item.author)
    if item.published_raw is not None:
        item.published_raw = item.published_raw.strip() or None
