"""How bylines read: date and author patterns, and the small helpers around them.

Shared by the article page's heuristics (a date next to the headline, "Reporter : X",
"Oleh <a>Name</a>") and the cleanup of body text (credit and date-only lines).
"""

from __future__ import annotations

import re
from typing import Any

DATE_METAS = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "publish-date", "date", "dc.date", "DC.date.issued", "sailthru.date",
    "parsely-pub-date", "content_PublishedDate",
)  # fmt: skip
DATE_ATTR_XPATHS = (
    "//time/@datetime",
    "//*[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
)
DATE_TEXT_CANDIDATES = (
    ".date",
    ".post-date",
    ".entry-date",
    ".tanggal",
    ".publish-date",
    ".published",
    ".time",
    ".detail__date",
    ".read__time",
    ".article-date",
    ".byline",
    ".meta",
    ".post-meta",
    ".entry-meta",
    ".submitted",
    ".node__meta",
    ".info",
    ".date-news",
    "[class*='submitted']",
    "[class*='date']",
    "[class*='tanggal']",
    "[class*='time']",
)
AUTHOR_CANDIDATES = (
    "[rel=author]",
    "[itemprop=author] [itemprop=name]",
    "[itemprop=author]",
    ".author",
    ".penulis",
    ".reporter",
    ".byline .name",
    ".detail__author",
    ".read__credit__item",
    ".field--name-uid",
    ".username",
    "[class*='author']",
    "[class*='reporter']",
    "[class*='penulis']",
    "[class*='writer']",
)
WEEKDAY = r"(?:Senin|Selasa|Rabu|Kamis|Jum(?:'|’)?at|Sabtu|Minggu|Ahad)"
MONTH = (
    r"(?:Jan(?:uari)?|Feb(?:ruari)?|Pebruari|Mar(?:et)?|Apr(?:il)?|Mei|Jun(?:i)?|"
    r"Jul(?:i)?|Agu(?:s(?:tus)?)?|Agt|Sep(?:tember)?|Okt(?:ober)?|Nov(?:ember)?|"
    r"Des(?:ember)?|January|February|March|May|June|July|August|October|December)"
)
DATE_TEXT = re.compile(
    rf"(?:{WEEKDAY},?\s*)?\d{{1,2}}\s+{MONTH}\s+\d{{4}}(?:\s*[,|\-–]?\s*(?:pukul\s*)?"
    rf"\d{{1,2}}[:.]\d{{2}}(?:\s*(?:WIB|WITA|WIT))?)?"
    rf"|(?:{WEEKDAY},?\s*\(?\s*)?\d{{1,2}}/\d{{1,2}}/\d{{4}}\)?"
    rf"(?:,?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*WIB)?)?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]\d{{2}}:\d{{2}}(?::\d{{2}})?)?",
    re.IGNORECASE,
)
# A byline label with the name after it ("Reporter : X", "Penulis: X", "Laporan oleh X").
BYLINE_LABEL = re.compile(
    r"^\s*(?:reporter|penulis|pewarta|wartawan|kontributor|laporan\s+oleh|ditulis\s+oleh|"
    r"diposting\s+oleh|(?:written|posted)\s+by|oleh|by|von|por|par|door|autor|auteur|author)"
    r"\b\s*:?\s*(.*)$",
    re.IGNORECASE,
)
# Metadata lines that leak into bodies: "Redaktur : X", "Diterbitkan 17 Juni 2020 | Dibaca 2.314 kali".
CREDIT_LINE = re.compile(
    r"^(?:redaktur|editor|reporter|penulis|pewarta|publisher|kontributor|wartawan)\s*:\s*\S.{0,50}$",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"\b\d+\s+(?:detik|menit|jam|hari|minggu|pekan|bulan|tahun)\s+(?:yang\s+)?lalu\b|"
    r"\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)
META_WORDS = re.compile(
    r"\b(?:dibaca|views|diterbitkan|diposting|dipublikasikan|diperbarui|updated|posted|published)\b",
    re.IGNORECASE,
)
# "Blitar Kota - Jumat, (27/02/2021)," / "Rabu (27/5/2020)" lead datelines.
LEAD_DATE = re.compile(
    rf"{WEEKDAY}\s*,?\s*\(?\s*\d{{1,2}}\s*/\s*\d{{1,2}}(?:\s*/\s*\d{{2,4}})?\s*\)?",
    re.IGNORECASE,
)


def headline_part(title: str | None) -> str | None:
    """The headline inside a ``<title>`` like "Site | Headline" or "Headline - Site"."""
    if not title:
        return None
    parts = [p.strip() for p in re.split(r"\s+[|\-–—:»]\s+", title) if p.strip()]
    return max(parts, key=len) if parts else title


def drop_meta_lines(text: str) -> str:
    """Without byline/credit lines that body containers often hold: "Redaktur : X",
    "Diterbitkan 17 Juni 2020 | Dibaca 2.314 kali", a date alone on its line."""
    out = []
    for line in text.split("\n"):
        bare = line.strip()
        if bare and len(bare) < 120:
            if CREDIT_LINE.match(bare):
                continue
            m = DATE_TEXT.search(bare) or RELATIVE.search(bare)
            if m and (m.group(0).strip() == bare.strip(" -|•·") or META_WORDS.search(bare)):
                continue
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def plausible(name: str | None) -> str | None:
    if name and (name.startswith(("http://", "https://")) or len(name) > 80):
        return None
    return name


PARTICLES = {"bin", "binti", "al", "el", "van", "de", "da", "dan"}


def person_name(text: str | None) -> str | None:
    """``text`` if it reads like a byline name (capitalised words, no digits), else None."""
    if not text:
        return None
    text = re.sub(r"\s+", " ", text).strip(" ,;|•·-–")
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 60 or re.search(r"\d|[!?\"“”]", text):
        return None
    if DATE_TEXT.search(text) or re.fullmatch(MONTH + r"|" + WEEKDAY, text, re.IGNORECASE):
        return None
    if all(w[:1].isupper() or w.lower() in PARTICLES for w in words):
        return text
    return None


def near(a: Any, b: Any, levels: int = 3) -> bool:
    """Whether two elements share an ancestor within ``levels`` steps of both."""
    if a is None or b is None:
        return False
    ups = []
    node = a
    for _ in range(levels + 1):
        if node is None:
            break
        ups.append(node)
        node = node.getparent()
    node = b
    for _ in range(levels + 1):
        if node is None:
            return False
        if node in ups:
            return True
        node = node.getparent()
    return False


def str_or_none(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def widen(text: str, m: re.Match[str]) -> str:
    """The matched date plus a trailing ``WIB``/time if the byline continues with one."""
    tail = text[m.end() : m.end() + 12]
    extra = re.match(r"\s*[|,\-–]?\s*\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT))?", tail)
    return (m.group(0) + (extra.group(0) if extra else "")).strip()


UTC_OR_NAIVE = re.compile(
    r"\d[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)?\s*$", re.I
)


def utc_or_naive(value: str | None) -> bool:
    """Whether an ISO-like timestamp is in UTC or carries no zone at all."""
    return bool(value and UTC_OR_NAIVE.search(value.strip()))
