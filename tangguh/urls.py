"""Reading URL lists that strangers wrote (contest forms, judges' files)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class BadUrl:
    line: int
    value: str
    reason: str


def check_url(value: str) -> str | None:
    """Why `value` is not a fetchable http(s) URL, or None when it is."""
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return "not an http(s) URL" if parts.scheme else "no scheme (expected http:// or https://)"
    if not parts.hostname:
        return "no host name"
    if any(ch.isspace() for ch in value):
        return "contains spaces"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "bad port"
    return None


def read_url_list(path: Path) -> tuple[list[str], list[BadUrl]]:
    """Valid URLs in file order (duplicates removed) and the bad lines with reasons."""
    urls: list[str] = []
    bad: list[BadUrl] = []
    seen: set[str] = set()
    text = path.read_text(encoding="utf-8", errors="replace")
    for n, raw in enumerate(text.splitlines(), start=1):
        value = raw.strip().lstrip("\ufeff")
        if not value or value.startswith("#"):
            continue
        reason = check_url(value)
        if reason:
            bad.append(BadUrl(n, value, reason))
        elif value in seen:
            bad.append(BadUrl(n, value, "duplicate of an earlier line"))
        else:
            seen.add(value)
            urls.append(value)
    return urls, bad
