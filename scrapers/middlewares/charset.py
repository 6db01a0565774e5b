"""Repair the two commonest charset lies before any page object decodes a body.

1. Header or meta says a Latin single-byte charset (ISO-8859-1, windows-1252, ASCII) but the
   bytes are valid UTF-8 with multi-byte characters: decode as UTF-8.
2. The label says UTF-8 but the bytes hold no valid multi-byte sequence while they do hold
   high bytes: they are windows-1252 (Indonesian sites saved from old editors do this).

Bodies with a few broken sequences inside otherwise valid UTF-8 stay UTF-8 (replacement
characters mark the damage). Stats: ``tangguh/charset/utf8``, ``tangguh/charset/cp1252``.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

_LATIN = {
    "iso-8859-1",
    "latin-1",
    "latin1",
    "cp1252",
    "windows-1252",
    "ascii",
    "us-ascii",
    "iso8859-1",
    "iso-8859-15",
}
_UTF8 = {"utf-8", "utf8"}
_HIGH = re.compile(rb"[\x80-\xff]")
_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def better_encoding(body: bytes, declared: str) -> str | None:
    """The encoding to use instead of ``declared``, or None when the label is plausible."""
    declared = (declared or "").lower().replace("_", "-")
    if not _HIGH.search(body):
        return None
    try:
        body.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        valid_utf8 = False
    if declared in _LATIN and valid_utf8 and _MULTIBYTE.search(body):
        return "utf-8"
    if declared in _UTF8 and not valid_utf8 and not _MULTIBYTE.search(body):
        return "cp1252"
    return None


class CharsetRepairMiddleware:
    def __init__(self, stats: Any):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CharsetRepairMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Any, response: Any) -> Any:
        if not isinstance(response, TextResponse):
            return response
        fixed = better_encoding(response.body, response.encoding)
        if fixed is None:
            return response
        self.stats.inc_value(f"tangguh/charset/{fixed.replace('-', '')}")
        return response.replace(encoding=fixed)
