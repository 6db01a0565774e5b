"""Load ``sources.toml``: the sites to crawl, so a researcher adds one without writing Python.

Schema (one ``[[source]]`` table per site)::

    [[source]]
    name = "semeru-blog"                # unique, used by `tangguh crawl NAME`
    kind = "blogger"                    # blogger | wordpress | news
    start_urls = ["https://x.blogspot.com/"]
    allowed_domains = ["x.blogspot.com"]   # optional: defaults to the start URLs' hosts
    topic = ["kampung tangguh"]         # optional: keep only documents mentioning one of these
    url_pattern = "/berita/"            # optional (news): article URLs must match this regex
    enabled = true                      # optional
    [source.selectors]                  # news only, all optional (CSS, or XPath if it starts with /)
    listing_links = "h2.title a"        # article links on a listing page
    next_page = "a.next"                # the next listing page
    title = "h1"; date = ".date"; author = ".author"; body = ".content"
    drop = [".related", ".baca-juga"]   # boilerplate removed from the body

A ``news`` start URL that is a sitemap (``.xml``, ``.xml.gz`` or "sitemap" in its path) is
read as one: a sitemap index leads to its sitemaps, a sitemap's ``<loc>`` URLs are the
articles (filtered by ``allowed_domains`` and ``url_pattern``); ``max_pages`` then bounds the
sitemap files read. A bad file raises ``SourcesError`` naming the file, the key and the line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

KINDS = ("blogger", "wordpress", "news")
SELECTOR_KEYS = ("listing_links", "next_page", "title", "date", "author", "body", "drop")
SOURCE_KEYS = {
    "name",
    "kind",
    "start_urls",
    "allowed_domains",
    "topic",
    "selectors",
    "enabled",
    "notes",
    "max_pages",
    "url_pattern",
}


class SourcesError(ValueError):
    """A sources.toml problem, with the key and line that caused it."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    start_urls: list[str]
    allowed_domains: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    selectors: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    max_pages: int | None = None
    url_pattern: str | None = None  # regex an article URL must match (news)


def load_sources(path: str | Path) -> list[Source]:
    """Parse and validate a sources file; raise ``SourcesError`` on the first problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_sources(text, origin=str(path))


def parse_sources(text: str, *, origin: str = "sources.toml") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{origin}: invalid TOML: {exc}") from exc
    blocks = _block_starts(text)
    unknown_top = set(data) - {"source"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise SourcesError(f"{origin}: unknown top-level key {key!r} at line {_line_of(text, key)}")
    raw = data.get("source", [])
    if not isinstance(raw, list):
        raise SourcesError(f"{origin}: 'source' must be an array of tables ([[source]])")
    sources: list[Source] = []
    names: set[str] = set()
    for index, entry in enumerate(raw):
        block = _block(text, blocks, index)
        src = _validate(entry, origin=origin, block=block)
        if src.name in names:
            raise SourcesError(
                f"{origin}: duplicate source name {src.name!r} at line {block.line('name')}"
            )
        names.add(src.name)
        sources.append(src)
    return sources


def select_sources(sources: list[Source], names: list[str] | None) -> list[Source]:
    """The named sources (all enabled ones when ``names`` is empty); unknown names raise."""
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SourcesError(f"unknown source(s): {', '.join(missing)}; known: {sorted(by_name)}")
    return [by_name[n] for n in names]


@dataclass
class _Block:
    start: int  # 1-based line of the [[source]] header
    lines: list[str]

    def line(self, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for offset, line in enumerate(self.lines):
            if pattern.match(line):
                return self.start + offset
        return self.start


def _block_starts(text: str) -> list[int]:
    return [
        i for i, line in enumerate(text.splitlines()) if re.match(r"^\s*\[\[\s*source\s*\]\]", line)
    ]


def _block(text: str, starts: list[int], index: int) -> _Block:
    lines = text.splitlines()
    if index >= len(starts):  # inline-table style; fall back to the file start
        return _Block(1, lines)
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    return _Block(starts[index] + 1, lines[starts[index] : end])


def _line_of(text: str, key: str) -> int:
    return _Block(1, text.splitlines()).line(key)


def _validate(entry: Any, *, origin: str, block: _Block) -> Source:
    def fail(key: str, message: str) -> SourcesError:
        return SourcesError(
            f"{origin}: source at line {block.start}: {key!r} {message} (line {block.line(key)})"
        )

    if not isinstance(entry, dict):
        raise SourcesError(f"{origin}: source at line {block.start} is not a table")
    for key in entry:
        if key not in SOURCE_KEYS:
            raise fail(key, f"is not a known key (known: {', '.join(sorted(SOURCE_KEYS))})")
    name = entry.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise fail("name", "is missing or not a simple name (letters, digits, - _ .)")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    start_urls = _str_list(entry.get("start_urls"), "start_urls", fail, required=True)
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail("start_urls", f"has a URL that is not http(s)://host/...: {url!r}")
    domains = _str_list(entry.get("allowed_domains"), "allowed_domains", fail)
    if not domains:
        domains = sorted({urlsplit(u).hostname or "" for u in start_urls})
    topic = _str_list(entry.get("topic"), "topic", fail)
    selectors = entry.get("selectors", {})
    if not isinstance(selectors, dict):
        raise fail("selectors", "must be a table ([source.selectors])")
    for key, value in selectors.items():
        if key not in SELECTOR_KEYS:
            raise fail(key, f"is not a selector key (known: {', '.join(SELECTOR_KEYS)})")
        if key == "drop":
            _str_list(value, key, fail)
        elif not isinstance(value, str) or not value.strip():
            raise fail(key, "must be a non-empty selector string")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "must be true or false")
    max_pages = entry.get("max_pages")
    if max_pages is not None and (not isinstance(max_pages, int) or max_pages < 1):
        raise fail("max_pages", "must be a positive integer")
    url_pattern = entry.get("url_pattern")
    if url_pattern is not None:
        if not isinstance(url_pattern, str) or not url_pattern.strip():
            raise fail("url_pattern", "must be a non-empty regular expression string")
        try:
            re.compile(url_pattern)
        except re.error as exc:
            raise fail("url_pattern", f"is not a valid regular expression: {exc}") from None
    return Source(
        name=name,
        kind=kind,
        start_urls=start_urls,
        allowed_domains=domains,
        topic=topic,
        selectors=dict(selectors),
        enabled=enabled,
        max_pages=max_pages,
        url_pattern=url_pattern,
    )


def _str_list(value: Any, key: str, fail: Any, *, required: bool = False) -> list[str]:
    if value is None:
        if required:
            raise fail(key, "is required")
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(key, "must be a list of non-empty strings")
    if required and not value:
        raise fail(key, "must not be empty")
    return [v.strip() for v in value]
